package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.AuthReason;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttAuthenticator;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/** MQTT 5 enhanced authentication: the AUTH exchange during connect and re-authentication later. */
final class EnhancedAuth {

  /** What the exchange needs from the connection. */
  interface Link {
    /** Sends {@code packet} if the connection {@code epoch} is still the current one. */
    void send(long epoch, MqttMessage packet);

    /** Ends the connection {@code epoch} (if still current) because authentication failed. */
    void fail(long epoch, DisconnectReason reason, String why);
  }

  private final Link link;
  private final Timers loop;
  private MqttAuthenticator authenticator;
  private Promise<Void> reauth;

  EnhancedAuth(Link link, Timers loop) {
    this.link = link;
    this.loop = loop;
  }

  void authenticator(MqttAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** The method for CONNECT, or null without an authenticator. */
  String method() {
    return authenticator == null ? null : authenticator.method();
  }

  /** The data for CONNECT: none without an authenticator. */
  Future<Buffer> initialData() {
    return authenticator == null ? Future.succeededFuture() : safe(authenticator::initialData);
  }

  void succeeded(Buffer serverData) {
    if (authenticator != null) {
      authenticator.succeeded(serverData);
    }
  }

  void onAuth(MqttMessage packet, long epoch, boolean connecting) {
    MqttReasonCodeAndPropertiesVariableHeader h = (MqttReasonCodeAndPropertiesVariableHeader) packet.variableHeader();
    MqttProperties props = h.properties() == null ? MqttProperties.NO_PROPERTIES : h.properties();
    if (authenticator == null) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "AUTH from the broker, but we sent no authentication method");
    }
    String method = MqttProps.string(props, MqttProperties.AUTHENTICATION_METHOD);
    if (!Objects.equals(method, authenticator.method())) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "AUTH with method " + method + ", we use "
        + authenticator.method());
    }
    AuthReason reason;
    try {
      reason = AuthReason.of(h.reasonCode() & 0xFF);
    } catch (FlowException e) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, e.getMessage());
    }
    Buffer data = MqttProps.binary(props, MqttProperties.AUTHENTICATION_DATA);
    switch (reason) {
      case CONTINUE_AUTHENTICATION:
        if (!connecting && reauth == null) {
          throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "AUTH Continue while no authentication is in progress");
        }
        safe(() -> authenticator.challenge(data)).onComplete(ar -> loop.execute(() -> {
          if (ar.succeeded()) {
            link.send(epoch, Packets.auth(AuthReason.CONTINUE_AUTHENTICATION.code(), authenticator.method(), ar.result()));
          } else {
            link.fail(epoch, DisconnectReason.NOT_AUTHORIZED, "the authenticator rejected the broker's challenge: "
              + ar.cause().getMessage());
          }
        }));
        break;
      case SUCCESS:
        if (connecting || reauth == null) {
          throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "AUTH Success while no re-authentication is in progress");
        }
        authenticator.succeeded(data);
        Promise<Void> p = reauth;
        reauth = null;
        p.tryComplete();
        break;
      default:
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "the broker sent AUTH " + reason);
    }
  }

  Future<Void> reauthenticate(long epoch) {
    if (authenticator == null) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "re-authentication needs an authenticator"));
    }
    if (reauth != null) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "a re-authentication is already in progress"));
    }
    Promise<Void> p = Promise.promise();
    reauth = p;
    initialData().onComplete(ar -> loop.execute(() -> {
      if (ar.succeeded()) {
        link.send(epoch, Packets.auth(AuthReason.RE_AUTHENTICATE.code(), authenticator.method(), ar.result()));
      } else if (reauth == p) {
        reauth = null;
        p.tryFail(FlowException.from(ar.cause()));
      }
    }));
    return p.future();
  }

  void connectionLost(FlowException cause) {
    if (reauth != null) {
      Promise<Void> p = reauth;
      reauth = null;
      p.tryFail(cause);
    }
  }

  private static Future<Buffer> safe(java.util.function.Supplier<Future<Buffer>> call) {
    try {
      Future<Buffer> f = call.get();
      return f == null ? Future.succeededFuture() : f;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
