package io.flowsdk.mqtt.client.impl;

import io.netty.util.NetUtil;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How the QUIC transport trusts the broker: the chain is checked with {@code delegate}, then (with a
 * server name) that the server certificate names the server (its subject alternative names, RFC 6125:
 * DNS names with a wildcard in the first label only, or IP addresses). Netty's QUIC engine sets no
 * endpoint identification algorithm, so the JDK's own name check never runs on a QUIC handshake; this
 * is what {@code verifyHost} means there. BoringSSL reports a refusal only as
 * {@code CERTIFICATE_VERIFY_FAILED}, so the reason is kept for {@link #takeRefusal()}.
 */
final class QuicTrust extends X509ExtendedTrustManager {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final X509TrustManager delegate;
  private final String serverName;
  private CertificateException refusal;

  /** {@code serverName} null checks the chain only. */
  QuicTrust(X509TrustManager delegate, String serverName) {
    this.delegate = delegate;
    this.serverName = serverName;
  }

  /** Why the last server certificate was refused, once; null when none was. */
  CertificateException takeRefusal() {
    CertificateException last = refusal;
    refusal = null;
    return last;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
      if (serverName != null) {
        check(chain[0], serverName);
      }
    } catch (CertificateException e) {
      refusal = e;
      throw e;
    }
  }

  /** Fails unless {@code certificate} names {@code name}. */
  static void check(X509Certificate certificate, String name) throws CertificateException {
    Collection<List<?>> names = subjectAlternativeNames(certificate);
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(name);
    for (List<?> san : names) {
      int type = (Integer) san.get(0);
      String value = (String) san.get(1);
      boolean matches = ip != null
        ? type == SAN_IP && Arrays.equals(ip, NetUtil.createByteArrayFromIpAddressString(value))
        : type == SAN_DNS && dnsMatches(value, name);
      if (matches) {
        return;
      }
    }
    throw new CertificateException("the server certificate is not for '" + name + "': its subject alternative names are "
      + names + " (set quicServerName to the name it has, or verifyHost=false in tests)");
  }

  private static Collection<List<?>> subjectAlternativeNames(X509Certificate certificate) throws CertificateParsingException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names == null ? List.of() : names;
  }

  private static boolean dnsMatches(String pattern, String name) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String n = name.toLowerCase(Locale.ROOT);
    if (!p.startsWith("*.")) {
      return p.equals(n);
    }
    int dot = n.indexOf('.');
    return dot > 0 && n.substring(dot).equals(p.substring(1));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
