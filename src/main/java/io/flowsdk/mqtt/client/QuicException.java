package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/**
 * Why a QUIC connection to the broker could not be opened or was lost ({@link MqttTransport#QUIC}):
 * {@link #failure()} names the cause, {@link #error()} is its {@link FlowError}.
 */
public class QuicException extends FlowException {

  /** The causes a QUIC transport tells apart. */
  public enum Failure {
    /** The TLS handshake failed: an untrusted or wrong server certificate, or the broker refused ours. */
    HANDSHAKE(FlowError.NOT_AUTHORIZED),
    /** The broker does not speak MQTT over QUIC: no common ALPN protocol ({@code mqtt}). */
    ALPN(FlowError.REFUSED),
    /** No packet either way for the idle timeout: the QUIC connection ended. */
    IDLE_TIMEOUT(FlowError.DISCONNECTED),
    /** No QUIC answer from the broker's address within the connect timeout. */
    UNREACHABLE(FlowError.DISCONNECTED),
    /** The broker or the network closed the QUIC connection (the message has the QUIC error code). */
    CLOSED(FlowError.DISCONNECTED);

    private final FlowError error;

    Failure(FlowError error) {
      this.error = error;
    }

    public FlowError error() {
      return error;
    }
  }

  private final Failure failure;

  public QuicException(Failure failure, String message, Throwable cause) {
    super(failure.error(), message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
