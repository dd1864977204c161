package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.auth.UserAuthentication;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;

import java.util.List;

/**
 * {@link UserAuthentication} for a vertx-mqtt endpoint: completes with the username, or null for an
 * anonymous client, or fails with a {@link ConnectRefusal.Refused}.
 */
final class Authentication {

  private final UserAuthentication users;

  Authentication(Vertx vertx, List<MqttUserOptions> configured) {
    this.users = new UserAuthentication(vertx, configured);
  }

  Future<String> authenticate(MqttListenerOptions listener, MqttEndpoint endpoint) {
    MqttAuth auth = endpoint.auth();
    return users.authenticate(listener, endpoint.sslSession(), auth == null ? null : auth.getUsername(),
      auth == null ? null : auth.getPassword()).recover(e -> Future.failedFuture(e instanceof UserAuthentication.Refused r
        ? (r.refusal == UserAuthentication.Refusal.BAD_CREDENTIALS ? ConnectRefusal.BAD_CREDENTIALS : ConnectRefusal.NOT_AUTHORIZED)
          .asFailure(r.getMessage())
        : e));
  }
}
