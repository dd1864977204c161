package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.QuicException;
import io.flowsdk.mqtt.client.QuicException.Failure;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.quic.QuicClosedChannelException;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicTimeoutClosedChannelException;

import java.util.Locale;
import javax.net.ssl.SSLException;

/** Names the cause of a failed QUIC connection attempt from what Netty's QUIC codec reported. */
final class QuicFailures {

  private QuicFailures() {
  }

  /** TLS alerts (RFC 8446 §6) a QUIC CONNECTION_CLOSE carries as 0x100 + alert (RFC 9001 §4.8). */
  private static final int TLS_ALERT_BASE = 0x100;
  private static final int NO_APPLICATION_PROTOCOL = 120;

  /**
   * @param reported what the codec failed the connect with
   * @param refusal  why our trust manager refused the server certificate in this handshake, or null
   * @param where    the broker, for the message
   */
  static QuicException classify(Throwable reported, Exception refusal, String where) {
    if (reported instanceof QuicException) {
      return (QuicException) reported;
    }
    Throwable cause = reported instanceof DecoderException && reported.getCause() != null ? reported.getCause() : reported;
    String detail = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    if (cause instanceof SSLException) {
      if (isAlpn(cause)) {
        return alpn(where, detail, cause);
      }
      return new QuicException(Failure.HANDSHAKE, "the TLS handshake with " + where + " failed: "
        + (refusal != null ? refusal.getMessage() : detail), cause);
    }
    if (cause instanceof ConnectTimeoutException) {
      return new QuicException(Failure.UNREACHABLE, "no QUIC answer from " + where + " within the connect timeout", cause);
    }
    if (cause instanceof QuicTimeoutClosedChannelException) {
      return new QuicException(Failure.IDLE_TIMEOUT, "the QUIC connection to " + where + " timed out", cause);
    }
    if (cause instanceof QuicClosedChannelException) {
      return closedByPeer(((QuicClosedChannelException) cause).event(), where, cause);
    }
    return new QuicException(Failure.CLOSED, "the QUIC connection to " + where + " ended: " + detail, cause);
  }

  /**
   * The broker's CONNECTION_CLOSE ({@code close}, null when none arrived): a TLS alert is a refused
   * handshake (in TLS 1.3 the broker checks our certificate after our side of the handshake is done, so
   * such an alert can come after the MQTT stream opened), anything else a close.
   */
  static QuicException closedByPeer(QuicConnectionCloseEvent close, String where, Throwable cause) {
    if (close != null && close.isTlsError()) {
      int alert = close.error() - TLS_ALERT_BASE;
      return alert == NO_APPLICATION_PROTOCOL ? alpn(where, "TLS alert no_application_protocol", cause)
        : new QuicException(Failure.HANDSHAKE, where + " refused the TLS handshake with alert " + alert
          + " (RFC 8446 section 6: 42 bad_certificate, 48 unknown_ca, 116 certificate_required, ...)", cause);
    }
    return new QuicException(Failure.CLOSED, where + " closed the QUIC connection"
      + (close == null ? "" : " with " + (close.isApplicationClose() ? "application" : "transport") + " error 0x"
      + Integer.toHexString(close.error())), cause);
  }

  private static QuicException alpn(String where, String detail, Throwable cause) {
    return new QuicException(Failure.ALPN, where + " does not speak MQTT over QUIC (no common ALPN protocol 'mqtt'): "
      + detail, cause);
  }

  private static boolean isAlpn(Throwable cause) {
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("application_protocol") || message.contains("alpn");
  }
}
