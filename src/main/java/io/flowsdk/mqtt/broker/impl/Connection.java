package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.topic.Topics;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubCompReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One client connection: translates vertx-mqtt's endpoint events into the session's state machines
 * and the session's output into packets. Covers what vertx-mqtt 5.0.7 leaves to the application:
 * topic aliases, Receive Maximum both ways, the client's Maximum Packet Size, reason codes on
 * acknowledgements, will delay and session expiry.
 */
final class Connection implements ClientLink, InboundFlow.Acks {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  /** MQTT's largest packet, the client's Maximum Packet Size when it sets none. */
  private static final long PROTOCOL_MAX_PACKET = 268_435_460L;

  private final MqttEndpoint endpoint;
  private final BrokerContext broker;
  private final boolean mqtt5;
  private final TopicAliasesIn aliases;
  private Session session;
  private Will will;
  private boolean closed;

  Connection(MqttEndpoint endpoint, BrokerContext broker) {
    this.endpoint = endpoint;
    this.broker = broker;
    this.mqtt5 = endpoint.protocolVersion() == 5;
    this.aliases = new TopicAliasesIn(broker.options.getTopicAliasMaximum());
  }

  /** Answers the CONNECT: takes over a connected session of the same client id, opens or resumes it. */
  void accept() {
    MqttBrokerOptions options = broker.options;
    MqttProperties connect = endpoint.connectProperties();
    String clientId = endpoint.clientIdentifier();
    boolean assigned = clientId == null;
    if (assigned) {
      clientId = "flowsdk-" + UUID.randomUUID();
      endpoint.setClientIdentifier(clientId);
    }
    try {
      will = readWill(clientId);
    } catch (FlowException e) { // a will topic that is not a valid topic name
      broker.meters.protocolError();
      if (mqtt5) {
        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID);
      } else {
        endpoint.close(); // 3.1.1 has no CONNACK code for it
      }
      return;
    }
    long requestedExpiry = mqtt5 ? MqttProps.unsigned(connect, MqttProperties.SESSION_EXPIRY_INTERVAL, 0)
      : endpoint.isCleanSession() ? 0 : options.getMaxSessionExpirySeconds();
    long expiry = Math.min(requestedExpiry, options.getMaxSessionExpirySeconds());

    Session existing = broker.sessions.get(clientId);
    if (existing != null && existing.connection != null) {
      existing.connection.takenOver(endpoint.isCleanSession());
    }
    boolean present = existing != null && !endpoint.isCleanSession();
    session = broker.sessions.open(clientId, endpoint.isCleanSession(), expiry);
    session.connection = this;

    MqttProperties connack = new MqttProperties();
    if (mqtt5) {
      MqttProps.putInt(connack, MqttProperties.RECEIVE_MAXIMUM, options.getReceiveMaximum());
      MqttProps.putInt(connack, MqttProperties.MAXIMUM_PACKET_SIZE, options.getMaxPacketBytes());
      MqttProps.putInt(connack, MqttProperties.TOPIC_ALIAS_MAXIMUM, options.getTopicAliasMaximum());
      if (expiry != requestedExpiry) {
        MqttProps.putInt(connack, MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry);
      }
      if (assigned) {
        MqttProps.putString(connack, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId);
      }
    }
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.publishAcknowledgeMessageHandler(m -> session.outbound.onPuback(m.messageId()));
    endpoint.publishReceivedMessageHandler(m -> session.outbound.onPubrec(m.messageId(), m.code().value() >= 0x80));
    endpoint.publishReleaseMessageHandler(m -> session.inbound.onPubrel(m.messageId()));
    endpoint.publishCompletionMessageHandler(m -> session.outbound.onPubcomp(m.messageId()));
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(this::onUnsubscribe);
    endpoint.disconnectMessageHandler(m -> {
      if (m.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE) {
        will = null;
      }
      long newExpiry = MqttProps.unsigned(m.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL, -1);
      if (newExpiry >= 0 && session.expirySeconds > 0) { // from 0 it may not change (MQTT-3.14.2-2): ignored
        session.expirySeconds = Math.min(newExpiry, options.getMaxSessionExpirySeconds());
      }
    });
    endpoint.exceptionHandler(t -> violation(new ProtocolViolation(MqttDisconnectReasonCode.MALFORMED_PACKET, String.valueOf(t.getMessage()))));
    endpoint.closeHandler(v -> closed());
    endpoint.accept(present, connack);
    broker.meters.connected(1);
    session.inbound.attach(this);
    session.outbound.attach(this, MqttProps.integer(connect, MqttProperties.RECEIVE_MAXIMUM, 65_535),
      MqttProps.unsigned(connect, MqttProperties.MAXIMUM_PACKET_SIZE, PROTOCOL_MAX_PACKET));
  }

  private Will readWill(String clientId) {
    MqttWill w = endpoint.will();
    if (w == null || !w.isWillFlag()) {
      return null;
    }
    MqttProperties props = w.getWillProperties() == null ? MqttProperties.NO_PROPERTIES : w.getWillProperties();
    FlowMessage message = BrokerMessages.toFlowMessage(w.getWillTopic(), w.getWillMessage(), w.getWillQos(),
      w.isWillRetain(), props, new FlowOrigin(broker.nodeId, BrokerMessages.ADAPTER, clientId));
    return new Will(message, MqttProps.unsigned(props, MqttProperties.WILL_DELAY_INTERVAL, 0));
  }

  private void onPublish(MqttPublishMessage publish) {
    try {
      String topic = mqtt5
        ? aliases.resolve(publish.topicName(), MqttProps.integer(publish.properties(), MqttProperties.TOPIC_ALIAS))
        : publish.topicName();
      String problem = Topics.nameProblem(topic);
      if (problem != null) {
        throw new ProtocolViolation(MqttDisconnectReasonCode.TOPIC_NAME_INVALID, problem);
      }
      int qos = publish.qosLevel().value();
      broker.meters.received(qos);
      FlowMessage message = BrokerMessages.toFlowMessage(topic, publish.payload(), qos, publish.isRetain(),
        publish.properties(), session.origin);
      if (qos == 0) {
        broker.publisher.publish(message);
      } else if (session.inbound.admit(publish.messageId(), qos)) {
        session.inbound.complete(publish.messageId(), qos, broker.publisher.publish(message));
      }
    } catch (ProtocolViolation v) {
      violation(v);
    } catch (FlowException e) {
      violation(new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR, e.getMessage()));
    }
  }

  private void onSubscribe(MqttSubscribeMessage subscribe) {
    List<Integer> ids = MqttProps.subscriptionIds(subscribe.properties());
    List<SessionSubscription> subs = new ArrayList<>();
    List<Future<Boolean>> results = new ArrayList<>();
    for (MqttTopicSubscription t : subscribe.topicSubscriptions()) {
      String problem = Topics.filterProblem(t.topicName());
      if (problem != null) {
        subs.add(null);
        results.add(Future.failedFuture(problem));
        continue;
      }
      MqttSubscriptionOption o = t.subscriptionOption();
      SessionSubscription sub = new SessionSubscription(t.topicName(), t.qualityOfService().value(),
        mqtt5 && o.isNoLocal(), mqtt5 && o.isRetainAsPublished(), mqtt5 ? o.retainHandling().value() : 0, ids);
      subs.add(sub);
      results.add(broker.subscriptions.subscribe(session, sub));
    }
    Future.join(results).onComplete(done -> {
      if (closed) {
        return;
      }
      List<MqttSubAckReasonCode> codes = new ArrayList<>();
      for (int i = 0; i < subs.size(); i++) {
        boolean ok = results.get(i).succeeded();
        codes.add(ok ? MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(subs.get(i).qos))
          : subs.get(i) == null && mqtt5 ? MqttSubAckReasonCode.TOPIC_FILTER_INVALID : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
      }
      endpoint.subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
      for (int i = 0; i < subs.size(); i++) {
        if (results.get(i).succeeded()) {
          broker.subscriptions.sendRetained(session, subs.get(i), results.get(i).result())
            .onFailure(e -> log.warn("retained messages for " + session.clientId + " not read: " + e.getMessage()));
        }
      }
    });
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    List<Future<Boolean>> results = new ArrayList<>();
    for (String filter : unsubscribe.topics()) {
      results.add(broker.subscriptions.unsubscribe(session, filter));
    }
    Future.join(results).onComplete(done -> {
      if (closed) {
        return;
      }
      List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
      for (Future<Boolean> r : results) {
        codes.add(r.failed() ? MqttUnsubAckReasonCode.UNSPECIFIED_ERROR
          : r.result() ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
      }
      endpoint.unsubscribeAcknowledge(unsubscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
    });
  }

  /** Another connection took the session: MQTT 5 clients hear 0x8E, then the connection closes. */
  private void takenOver(boolean byCleanStart) {
    if (will != null && will.delaySeconds > 0 && !byCleanStart) {
      will = null; // the session is resumed at once, within any delay: MQTT 5, 3.1.3.2.2
    }
    disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
  }

  /** An operator disconnects the client: MQTT 5 clients hear 0x98 (Administrative action). */
  void disconnectByOperator() {
    disconnect(MqttDisconnectReasonCode.ADMINISTRATIVE_ACTION);
  }

  /** {@code host:port} of the client. */
  String remoteAddress() {
    return String.valueOf(endpoint.remoteAddress());
  }

  private void violation(ProtocolViolation v) {
    if (closed) {
      return;
    }
    broker.meters.protocolError();
    log.debug("closing the connection of " + endpoint.clientIdentifier() + ": " + v.getMessage());
    disconnect(v.reason());
  }

  private void disconnect(MqttDisconnectReasonCode reason) {
    if (closed) {
      return;
    }
    if (mqtt5) {
      endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
    }
    close();
  }

  private void close() {
    if (endpoint.isConnected()) {
      endpoint.close();
    }
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    broker.meters.connected(-1);
    session.inbound.detach(this);
    if (session.connection == this) {
      broker.sessions.detached(session, will);
    } else if (will != null) {
      broker.publishWill(will);
    }
  }

  @Override
  public boolean mqtt5() {
    return mqtt5;
  }

  @Override
  public void publish(OutgoingPublish p) {
    if (!closed && endpoint.isConnected()) {
      endpoint.publish(p.topic, p.payload, MqttQoS.valueOf(p.qos), p.dup, p.retain, p.packetId, p.properties);
    }
  }

  @Override
  public void pubrel(int packetId) {
    if (!closed && endpoint.isConnected()) {
      endpoint.publishRelease(packetId);
    }
  }

  @Override
  public void puback(int packetId, int reason) {
    if (!closed && endpoint.isConnected()) {
      endpoint.publishAcknowledge(packetId, MqttPubAckReasonCode.valueOf((byte) reason), MqttProperties.NO_PROPERTIES);
    }
  }

  @Override
  public void pubrec(int packetId, int reason) {
    if (!closed && endpoint.isConnected()) {
      endpoint.publishReceived(packetId, MqttPubRecReasonCode.valueOf((byte) reason), MqttProperties.NO_PROPERTIES);
    }
  }

  @Override
  public void pubcomp(int packetId, int reason) {
    if (!closed && endpoint.isConnected()) {
      endpoint.publishComplete(packetId, MqttPubCompReasonCode.valueOf((byte) reason), MqttProperties.NO_PROPERTIES);
    }
  }

  /**
   * MQTT 5 clients get the reason: on the PUBACK at QoS 1, on a DISCONNECT at QoS 2 because
   * vertx-mqtt 5.0.7 drops the reason code of a PUBREC. 3.1.1 has no negative acknowledgement, so
   * the connection closes unacknowledged. Either way the client sends the message again.
   */
  @Override
  public void refused(int packetId, int qos, int reason) {
    if (mqtt5 && qos == 1) {
      puback(packetId, reason);
    } else {
      disconnect(MqttDisconnectReasonCode.valueOf((byte) reason));
    }
  }
}
