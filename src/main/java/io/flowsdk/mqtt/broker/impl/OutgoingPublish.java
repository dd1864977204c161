package io.flowsdk.mqtt.broker.impl;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.buffer.Buffer;

/** A PUBLISH the broker sends to a client, exactly as it goes on the wire. */
final class OutgoingPublish {

  final int packetId;
  final String topic;
  final Buffer payload;
  final int qos;
  final boolean retain;
  final boolean dup;
  final MqttProperties properties;

  OutgoingPublish(int packetId, String topic, Buffer payload, int qos, boolean retain, boolean dup, MqttProperties properties) {
    this.packetId = packetId;
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
    this.dup = dup;
    this.properties = properties;
  }

  OutgoingPublish withPacketId(int id) {
    return new OutgoingPublish(id, topic, payload, qos, retain, dup, properties);
  }

  OutgoingPublish asDuplicate() {
    return new OutgoingPublish(packetId, topic, payload, qos, retain, true, properties);
  }

  @Override
  public String toString() {
    return "PUBLISH[id=" + packetId + ", topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", dup=" + dup
      + ", payload=" + payload + "]";
  }
}
