package io.flowsdk.mqtt.broker.impl;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * Why a CONNECT is refused, with the CONNACK code for each protocol version and the tag it is counted
 * under in {@code flowsdk_mqtt_broker_connect_refused_total}.
 */
enum ConnectRefusal {
  /** An unknown username or a wrong password. */
  BAD_CREDENTIALS(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD),
  /** No credentials on a listener without anonymous access, or a will the ACL does not permit. */
  NOT_AUTHORIZED(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED),
  /** The node has {@code maxConnections} clients. */
  MAX_CONNECTIONS(MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED,
    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE),
  /** The client id is longer than {@code maxClientIdLength}. */
  CLIENT_ID_LENGTH(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
    MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);

  final MqttConnectReturnCode mqtt5;
  final MqttConnectReturnCode mqtt311;

  ConnectRefusal(MqttConnectReturnCode mqtt5, MqttConnectReturnCode mqtt311) {
    this.mqtt5 = mqtt5;
    this.mqtt311 = mqtt311;
  }

  String tag() {
    return name().toLowerCase();
  }

  /** This refusal as the failure of an asynchronous check. */
  Refused asFailure(String message) {
    return new Refused(this, message);
  }

  /** A refused CONNECT as a failed future's cause. */
  static final class Refused extends RuntimeException {
    final ConnectRefusal refusal;

    Refused(ConnectRefusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }
  }
}
