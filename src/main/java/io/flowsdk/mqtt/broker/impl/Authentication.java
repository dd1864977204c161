package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.flowsdk.security.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;

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
 * Who a CONNECT is from: the CN of its verified client certificate (on a listener with
 * {@code certificateUsername}), a configured user whose password matches its hash, or nobody
 * (anonymous, where the listener allows it). Completes with the username, or null for an anonymous
 * client, or fails with a {@link ConnectRefusal.Refused}. Without configured users a username is not
 * checked, so it is not trusted either: the client counts as anonymous.
 */
final class Authentication {

  /** Compared with when the username is unknown, so the answer takes as long as for a wrong password. */
  private static final PasswordHash UNKNOWN_USER = PasswordHash.parse(PasswordHash.hash("unknown", PasswordHash.MIN_ITERATIONS));

  private final Vertx vertx;
  private final Map<String, PasswordHash> users = new HashMap<>();
  private final int typicalIterations;

  Authentication(Vertx vertx, List<MqttUserOptions> configured) {
    this.vertx = vertx;
    int iterations = PasswordHash.MIN_ITERATIONS;
    for (MqttUserOptions user : configured) {
      PasswordHash hash = PasswordHash.parse(user.getPasswordHash());
      users.put(user.getUsername(), hash);
      iterations = Math.max(iterations, hash.iterations());
    }
    this.typicalIterations = iterations;
  }

  Future<String> authenticate(MqttListenerOptions listener, MqttEndpoint endpoint) {
    if (listener.isCertificateUsername()) {
      String name = certificateName(endpoint.sslSession());
      if (name != null) {
        return Future.succeededFuture(name);
      }
    }
    // vertx-mqtt 5.0.7 hands over a username only together with a password
    MqttAuth auth = endpoint.auth();
    if (auth == null || users.isEmpty()) {
      if (listener.isAllowAnonymous()) {
        return Future.succeededFuture(null);
      }
      return auth == null
        ? Future.failedFuture(ConnectRefusal.NOT_AUTHORIZED.asFailure("this listener needs a username and password"))
        : Future.failedFuture(ConnectRefusal.BAD_CREDENTIALS.asFailure("no users are configured to check '"
          + auth.getUsername() + "' against"));
    }
    String username = auth.getUsername();
    PasswordHash hash = users.get(username);
    String password = auth.getPassword();
    return vertx.executeBlocking(() -> hash == null ? wasted(password) : hash.verify(password), false)
      .compose(ok -> ok ? Future.succeededFuture(username)
        : Future.failedFuture(ConnectRefusal.BAD_CREDENTIALS.asFailure("bad username or password for '" + username + "'")));
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
