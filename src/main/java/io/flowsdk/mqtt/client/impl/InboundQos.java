package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttMessageHandler;
import io.flowsdk.mqtt.client.PubCompReason;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Incoming publishes: topic alias resolution, delivery to the handler, acknowledgements in arrival
 * order once the handler's future completes (PUBACK for QoS 1; PUBREC, then PUBCOMP on PUBREL for
 * QoS 2), duplicate suppression for QoS 2 across reconnects, and our Receive Maximum. A handler
 * future that fails with an error {@link MqttException} refuses the message (MQTT 5: that reason
 * code); any other failure means "not taken": nothing is acknowledged and {@code notTaken} closes
 * the connection, so the broker sends the message again when the session resumes.
 */
final class InboundQos {

  private static final class PendingAck {
    final MqttMessageType type;
    final int packetId;
    final Future<Void> done;
    final long connection;

    PendingAck(MqttMessageType type, int packetId, Future<Void> done, long connection) {
      this.type = type;
      this.packetId = packetId;
      this.done = done;
      this.connection = connection;
    }
  }

  private final Timers loop;
  private final TopicAliasesIn aliases;
  private final int receiveMaximum;
  private final boolean v5;
  private final Consumer<Throwable> notTaken;
  private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
  /** QoS 2 packet ids received and not yet released by PUBREL, with the handler's future. Session-scoped. */
  private final Map<Integer, Future<Void>> qos2 = new HashMap<>();
  /**
   * QoS 1/2 messages whose PUBACK or PUBREC has not been sent: what the Receive Maximum is held
   * against. A QoS 2 message awaiting PUBREL no longer counts, because Mosquitto 2.0 frees its send
   * quota on our PUBREC (the HiveMQ client counts the same way); counting it until PUBREL made us
   * disconnect Mosquitto with 0x93 under sustained QoS 2 load. {@link #qos2} stays bounded by the
   * packet identifier space.
   */
  private int unacked;
  private long connection;
  private PacketSink sink;
  private MqttMessageHandler handler = m -> Future.succeededFuture();

  /** @param notTaken closes the connection without acknowledging, given the handler's failure */
  InboundQos(Timers loop, TopicAliasesIn aliases, int receiveMaximum, boolean v5, Consumer<Throwable> notTaken) {
    this.loop = loop;
    this.aliases = aliases;
    this.receiveMaximum = receiveMaximum;
    this.v5 = v5;
    this.notTaken = notTaken;
  }

  void handler(MqttMessageHandler handler) {
    this.handler = handler;
  }

  void connected(PacketSink sink, boolean sessionPresent) {
    this.sink = sink;
    connection++;
    aliases.reset();
    if (!sessionPresent) {
      qos2.clear();
    }
  }

  void disconnected() {
    sink = null;
    acks.clear();
    unacked = 0;
  }

  void onPublish(MqttPublishMessage packet) {
    MqttPublishVariableHeader h = packet.variableHeader();
    MqttProperties props = h.properties() == null ? MqttProperties.NO_PROPERTIES : h.properties();
    String topic = aliases.resolve(h.topicName(), v5 ? MqttProps.integer(props, MqttProperties.TOPIC_ALIAS) : null);
    QoS qos = QoS.of(packet.fixedHeader().qosLevel().value());
    int id = h.packetId();
    InboundMessage message = toMessage(packet, topic, qos, props);
    Future<Void> earlier = qos == QoS.EXACTLY_ONCE ? qos2.get(id) : null;
    if (earlier != null) {
      // a resent QoS 2 message we already have: acknowledge again once the first delivery is safe, never deliver
      // twice; deliver again only when the handler did not take it the first time
      Future<Void> done = earlier.recover(e -> refuses(e) ? Future.failedFuture(e) : deliver(message));
      unacked++;
      qos2.put(id, done);
      enqueue(MqttMessageType.PUBREC, id, done);
      return;
    }
    if (qos != QoS.AT_MOST_ONCE && v5 && unacked >= receiveMaximum) {
      throw new ProtocolViolation(DisconnectReason.RECEIVE_MAXIMUM_EXCEEDED,
        "the broker sent more than our Receive Maximum of " + receiveMaximum + " unacknowledged QoS 1/2 messages");
    }
    Future<Void> done = deliver(message);
    if (qos == QoS.AT_LEAST_ONCE) {
      unacked++;
      enqueue(MqttMessageType.PUBACK, id, done);
    } else if (qos == QoS.EXACTLY_ONCE) {
      unacked++;
      qos2.put(id, done);
      enqueue(MqttMessageType.PUBREC, id, done);
    }
  }

  void onPubRel(MqttMessage packet) {
    int id = Packets.packetId(packet);
    if (qos2.remove(id) == null) {
      sink.send(Packets.pubReply(MqttMessageType.PUBCOMP, id, PubCompReason.PACKET_IDENTIFIER_NOT_FOUND.code()));
    } else {
      sink.send(Packets.pubReply(MqttMessageType.PUBCOMP, id, 0));
    }
  }

  private Future<Void> deliver(InboundMessage message) {
    try {
      Future<Void> done = handler.handle(message);
      return done == null ? Future.succeededFuture() : done;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void enqueue(MqttMessageType type, int packetId, Future<Void> done) {
    acks.addLast(new PendingAck(type, packetId, done, connection));
    if (done.isComplete()) {
      flush();
    } else {
      done.onComplete(ar -> loop.execute(this::flush));
    }
  }

  /** Sends acknowledgements in arrival order, as far as their handlers have completed. */
  private void flush() {
    PendingAck head;
    while ((head = acks.peekFirst()) != null && head.done.isComplete()) {
      acks.pollFirst();
      if (head.connection != connection || sink == null) {
        continue; // the connection it came on is gone; the broker sends the message again
      }
      Throwable failure = head.done.cause();
      if (head.done.failed() && !refuses(failure)) {
        notTaken.accept(failure);
        return;
      }
      unacked--;
      if (head.done.failed() && head.type == MqttMessageType.PUBREC) {
        qos2.remove(head.packetId); // a refused message ends the QoS 2 exchange
      }
      int reason = head.done.failed() && v5 ? ((MqttException) failure).reasonCode().code() : 0;
      sink.send(Packets.pubReply(head.type, head.packetId, reason));
    }
  }

  /** Whether a handler failure refuses the message (rather than not taking it): an MQTT error reason code. */
  private static boolean refuses(Throwable failure) {
    return failure instanceof MqttException && ((MqttException) failure).reasonCode().code() >= 0x80;
  }

  private static InboundMessage toMessage(MqttPublishMessage packet, String topic, QoS qos, MqttProperties props) {
    Buffer payload = Buffer.buffer(ByteBufUtil.getBytes(packet.payload()));
    return new InboundMessage(topic, payload, qos, packet.fixedHeader().isRetain(), packet.fixedHeader().isDup(),
      MqttProps.unsigned(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, -1),
      MqttProps.string(props, MqttProperties.CONTENT_TYPE),
      MqttProps.string(props, MqttProperties.RESPONSE_TOPIC),
      MqttProps.binary(props, MqttProperties.CORRELATION_DATA),
      MqttProps.integer(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 0) == 1 ? PayloadFormat.UTF8 : PayloadFormat.UNSPECIFIED,
      MqttProps.userProperties(props),
      MqttProps.subscriptionIds(props));
  }

  int unacknowledged() {
    return unacked;
  }
}
