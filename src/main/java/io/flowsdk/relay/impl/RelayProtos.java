package io.flowsdk.relay.impl;

import io.flowsdk.relay.proto.MqttRelayServiceGrpcService;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Initializes the relay's generated protobuf classes on a worker thread. Building their descriptors
 * (relay, mqttv3, mqttv5 and protobuf's own) takes 0.4 to 2.5 s the first time in a JVM on a loaded
 * 2-core machine; done where the relay first touched them, the upstream verticle's start and the edge's
 * first CONNECT, it held an event loop that long (Vert.x's blocked-thread warning, with every other
 * connection of that loop waiting).
 */
public final class RelayProtos {

  private RelayProtos() {
  }

  /** Completes once the classes are initialized (at once after the first time in a JVM). */
  public static Future<Void> initialize(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      MqttStreamMessage.newBuilder()
        .setMqttV3Packet(io.flowsdk.relay.proto.v3.MqttPacket.getDefaultInstance())
        .setMqttV5Packet(io.flowsdk.relay.proto.v5.MqttPacket.getDefaultInstance())
        .build().toByteArray();
      return MqttRelayServiceGrpcService.SERVICE_DESCRIPTOR;
    }, false).mapEmpty();
  }
}
