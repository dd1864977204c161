package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.QuicException;
import io.flowsdk.mqtt.client.QuicException.Failure;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.quic.QuicClosedChannelException;
import io.netty.handler.codec.quic.QuicTimeoutClosedChannelException;

import java.util.Locale;
import javax.net.ssl.SSLException;

/** Names the cause of a failed QUIC connection attempt from what Netty's QUIC codec reported. */
final class QuicFailures {

  private QuicFailures() {
  }

  static QuicException classify(Throwable reported, String where) {
    if (reported instanceof QuicException) {
      return (QuicException) reported;
    }
    Throwable cause = reported instanceof DecoderException && reported.getCause() != null ? reported.getCause() : reported;
    String detail = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    if (cause instanceof SSLException) {
      return isAlpn(cause)
        ? new QuicException(Failure.ALPN, where + " does not speak MQTT over QUIC (no common ALPN protocol 'mqtt'): "
          + detail, cause)
        : new QuicException(Failure.HANDSHAKE, "the TLS handshake with " + where + " failed: " + detail, cause);
    }
    if (cause instanceof ConnectTimeoutException) {
      return new QuicException(Failure.UNREACHABLE, "no QUIC answer from " + where + " within the connect timeout", cause);
    }
    if (cause instanceof QuicTimeoutClosedChannelException) {
      return new QuicException(Failure.IDLE_TIMEOUT, "the QUIC connection to " + where + " timed out", cause);
    }
    if (cause instanceof QuicClosedChannelException) {
      return new QuicException(Failure.CLOSED, where + " closed the QUIC connection: " + detail, cause);
    }
    return new QuicException(Failure.CLOSED, "the QUIC connection to " + where + " ended: " + detail, cause);
  }

  private static boolean isAlpn(Throwable cause) {
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("application_protocol") || message.contains("alpn");
  }
}
