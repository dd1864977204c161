package io.flowsdk.mqtt.auth;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.flowsdk.security.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a CONNECT is from, for the broker and the MQTT proxy alike: the CN of its verified client
 * certificate (on a listener with {@code certificateUsername}), a configured user whose password
 * matches its hash, or nobody (anonymous, where the listener allows it). Completes with the username,
 * or null for an anonymous client, or fails with a {@link Refused}. Without configured users a
 * username is not checked, so it is not trusted either: the client counts as anonymous.
 */
public final class UserAuthentication {

  /** Why a CONNECT is refused. */
  public enum Refusal {
    /** An unknown username or a wrong password (CONNACK 0x86 / 3.1.1 return code 4). */
    BAD_CREDENTIALS,
    /** No credentials on a listener without anonymous access (CONNACK 0x87 / 3.1.1 return code 5). */
    NOT_AUTHORIZED
  }

  /** A refused CONNECT as a failed future's cause. */
  public static final class Refused extends RuntimeException {
    public final Refusal refusal;

    Refused(Refusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }
  }

  /** Compared with when the username is unknown, so the answer takes as long as for a wrong password. */
  private static final PasswordHash UNKNOWN_USER = PasswordHash.parse(PasswordHash.hash("unknown", PasswordHash.MIN_ITERATIONS));

  private final Vertx vertx;
  private final Map<String, PasswordHash> users = new HashMap<>();
  private final int typicalIterations;

  public UserAuthentication(Vertx vertx, List<MqttUserOptions> configured) {
    this.vertx = vertx;
    int iterations = PasswordHash.MIN_ITERATIONS;
    for (MqttUserOptions user : configured) {
      PasswordHash hash = PasswordHash.parse(user.getPasswordHash());
      users.put(user.getUsername(), hash);
      iterations = Math.max(iterations, hash.iterations());
    }
    this.typicalIterations = iterations;
  }

  /**
   * Authenticates a CONNECT that arrived on {@code listener} over {@code ssl} (null without TLS) with
   * {@code username} and {@code password}, both null when it carries no credentials (a username alone
   * counts as none, as vertx-mqtt 5.0.7 hands one over only together with a password). The password
   * is checked off the event loop.
   */
  public Future<String> authenticate(MqttListenerOptions listener, SSLSession ssl, String username, String password) {
    if (listener.isCertificateUsername()) {
      String name = certificateName(ssl);
      if (name != null) {
        return Future.succeededFuture(name);
      }
    }
    boolean credentials = username != null && password != null;
    if (!credentials || users.isEmpty()) {
      if (listener.isAllowAnonymous()) {
        return Future.succeededFuture(null);
      }
      return !credentials
        ? Future.failedFuture(new Refused(Refusal.NOT_AUTHORIZED, "this listener needs a username and password"))
        : Future.failedFuture(new Refused(Refusal.BAD_CREDENTIALS, "no users are configured to check '"
          + username + "' against"));
    }
    PasswordHash hash = users.get(username);
    return vertx.executeBlocking(() -> hash == null ? wasted(password) : hash.verify(password), false)
      .compose(ok -> ok ? Future.succeededFuture(username)
        : Future.failedFuture(new Refused(Refusal.BAD_CREDENTIALS, "bad username or password for '" + username + "'")));
  }

  /** As much work as checking a real password, always false: an unknown user is not told apart by time. */
  private boolean wasted(String password) {
    for (int done = 0; done < typicalIterations; done += PasswordHash.MIN_ITERATIONS) {
      UNKNOWN_USER.verify(password);
    }
    return false;
  }

  /** The CN of the verified client certificate of {@code ssl}, or null when there is none. */
  static String certificateName(SSLSession ssl) {
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
        return null;
      }
      String subject = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return null;
    }
  }
}
