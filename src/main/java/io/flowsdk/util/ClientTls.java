package io.flowsdk.util;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS of a gRPC (HTTP/2) client that reaches a FlowSDK server — the relay edge its upstreams, the bus
 * relay a remote gateway: ALPN, the server's certificate checked against {@code caPath} (none: the JVM's
 * trust store) and against the host name or IP address the client connects to, and, for mutual TLS, a
 * client certificate. One place for it, so the two cannot drift apart.
 *
 * @param caPath   PEM CA certificates the server's certificate must chain to, or null
 * @param certPath PEM certificate chain the client presents, or null (then {@code keyPath} is null too)
 * @param keyPath  PEM private key of {@code certPath}, or null
 */
public record ClientTls(String caPath, String certPath, String keyPath) {

  /** Fails with {@code INVALID} when only one of {@code certPath} and {@code keyPath} is given. */
  public ClientTls {
    if ((certPath == null) != (keyPath == null)) {
      throw new FlowException(FlowError.INVALID, "a TLS client certificate needs its private key: give both the certificate"
        + " and the key path, or neither");
    }
  }

  /** Turns TLS on in {@code http} with these settings; returns it. */
  public HttpClientOptions applyTo(HttpClientOptions http) {
    http.setSsl(true).setUseAlpn(true).setVerifyHost(true);
    if (caPath != null) {
      http.setTrustOptions(new PemTrustOptions().addCertPath(caPath));
    }
    if (certPath != null) {
      http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath));
    }
    return http;
  }
}
