package io.flowsdk.busrelay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.GrpcFailures;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;

import javax.net.ssl.SSLException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Why a stream of the relay to the remote gateway is gone, named and counted the same way for both
 * halves ({@link RemotePublisher}, {@link RemoteSubscriber}) in {@code connect_failures_total{reason}}:
 * {@code tls} (the gateway's certificate does not chain to {@code tlsCaPath} or is not issued for the
 * host), {@code unreachable} (no connection), {@code closed} (an open stream broke — over TLS 1.3 this is also
 * how a gateway that demands a client certificate refuses a relay that has none it trusts, as the
 * client's side of the handshake has ended by then); or a status
 * the gateway ended the stream with (a refusal is counted in {@code connect_refusals_total{status}}).
 */
final class StreamFailures {

  static final String TLS = "tls";
  static final String UNREACHABLE = "unreachable";
  static final String CLOSED = "closed";

  private final SocketAddress address;
  private final boolean tls;
  private final RelayMeters meters;

  StreamFailures(SocketAddress address, boolean tls, RelayMeters meters) {
    this.address = address;
    this.tls = tls;
    this.meters = meters;
  }

  /**
   * Why no stream could be opened: a TLS failure in the handshake, no connection at all ({@code unreachable}),
   * or a connection the gateway closed before the stream opened ({@code closed}).
   */
  FlowException notOpened(Throwable cause) {
    if (causedBy(cause, SocketException.class) == null && causedBy(cause, UnknownHostException.class) == null) {
      return broke(cause);
    }
    return tlsFailure(cause).orElseGet(() -> {
      meters.connectFailed(UNREACHABLE);
      return new FlowException(FlowError.DISCONNECTED, "the gateway at " + address + " cannot be reached: " + cause.getMessage(), cause);
    });
  }

  /** Why an open connection or stream broke; a {@link FlowException} (from {@link #ended}) is already named. */
  FlowException broke(Throwable cause) {
    if (cause instanceof FlowException) {
      return (FlowException) cause;
    }
    return tlsFailure(cause).orElseGet(() -> {
      meters.connectFailed(CLOSED);
      return new FlowException(FlowError.DISCONNECTED, "the gateway at " + address + " closed the connection (" + cause.getMessage()
        + ")" + (tls ? "; a gateway that demands a client certificate does so when it gets none it trusts: check tlsCertPath" : ""),
        cause);
    });
  }

  private Optional<FlowException> tlsFailure(Throwable cause) {
    Throwable tls = causedBy(cause, SSLException.class);
    if (tls == null) {
      return Optional.empty();
    }
    Throwable innermost = tls;
    while (innermost.getCause() != null) {
      innermost = innermost.getCause();
    }
    meters.connectFailed(TLS);
    return Optional.of(new FlowException(FlowError.DISCONNECTED, "TLS with the gateway at " + address + " failed ("
      + innermost.getMessage() + "): check tlsCaPath and that the gateway's certificate is issued for '" + address.host() + "'",
      cause));
  }

  private static Throwable causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  /** The gateway ended {@code what} (a stream or a subscription) with the status of {@code response}; a refusal is counted. */
  FlowException ended(GrpcClientResponse<?, ?> response, String what) {
    GrpcStatus status = response.status();
    if (status == GrpcStatus.UNAUTHENTICATED || status == GrpcStatus.PERMISSION_DENIED) {
      meters.connectRefused(status.name());
    }
    return new FlowException(status == null ? FlowError.DISCONNECTED : GrpcFailures.error(status),
      "the remote gateway ended the " + what + " with " + (status == null ? "no status" : status.name())
        + (response.statusMessage() == null ? "" : ": " + response.statusMessage()));
  }
}
