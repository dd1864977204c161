package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.mqtt.auth.AccessControl;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions.Access;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.broker.impl.BrokerMeters.Limit;
import io.flowsdk.mqtt.protocol.MqttPacketSize;
import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;
import io.flowsdk.util.TokenBucket;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
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
  private static final int NOT_AUTHORIZED = 0x87;
  private static final int TOPIC_NAME_INVALID = 0x90;

  private final MqttEndpoint endpoint;
  private final BrokerContext broker;
  private final boolean mqtt5;
  private final TopicAliasesIn aliases;
  private final MqttListenerOptions listener;
  /** Null without a publish rate limit. */
  private final TokenBucket publishRate;
  private AccessControl.ClientAcl acl;
  private boolean admitted;
  /** New subscriptions of this connection not yet in the session (for {@code maxSubscriptionsPerClient}). */
  private int subscribing;
  private Session session;
  private Will will;
  private boolean closed;
  private InboundGuard guard;
  private NetSocketInternal socket;
  private final QueueConsumers queues;
  /** Deliveries of one queue subscription unacknowledged at most: the client's Receive Maximum, at most our maxInflight. */
  private int queueWindow;

  Connection(MqttEndpoint endpoint, BrokerContext broker, MqttListenerOptions listener) {
    this.endpoint = endpoint;
    this.broker = broker;
    this.listener = listener;
    this.mqtt5 = endpoint.protocolVersion() == 5;
    this.aliases = new TopicAliasesIn(broker.options.getTopicAliasMaximum());
    int rate = broker.options.getPublishRatePerSecond();
    this.publishRate = rate == 0 ? null : new TokenBucket(rate, broker.options.getPublishBurst(), System::nanoTime);
    this.queues = new QueueConsumers(broker.middleware);
  }

  /**
   * Answers the CONNECT: checks the node's limits, authenticates the client (off the event loop when
   * a password is checked), then opens its session.
   */
  void accept() {
    guard = InboundGuard.install(endpoint);
    socket = InboundGuard.socketOf(endpoint);
    endpoint.closeHandler(v -> closed());
    if (connectProblem()) {
      broker.meters.protocolError(MqttDisconnectReasonCode.PROTOCOL_ERROR);
      if (mqtt5) {
        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
      } else {
        endpoint.close(); // MQTT-4.8.0-1: 3.1.1 closes without a code for these
      }
      return;
    }
    String clientId = endpoint.clientIdentifier();
    if (clientId != null && clientId.length() > broker.options.getMaxClientIdLength()) {
      refuse(ConnectRefusal.CLIENT_ID_LENGTH);
      return;
    }
    Session existing = clientId == null ? null : broker.sessions.get(clientId);
    boolean takesOverOne = existing != null && existing.connection != null;
    if (broker.admitted >= broker.options.getMaxConnections() && !takesOverOne) {
      refuse(ConnectRefusal.MAX_CONNECTIONS);
      return;
    }
    broker.admitted++;
    admitted = true;
    broker.authentication.authenticate(listener, endpoint).onComplete(auth -> {
      if (closed) {
        return;
      }
      if (auth.failed()) {
        log.debug("refusing " + endpoint.clientIdentifier() + ": " + auth.cause().getMessage());
        refuse(auth.cause() instanceof ConnectRefusal.Refused r ? r.refusal : ConnectRefusal.NOT_AUTHORIZED);
      } else {
        open(auth.result());
      }
    });
  }

  /**
   * Whether an MQTT 5 CONNECT has property values the specification calls a protocol error, which
   * vertx-mqtt 5.0.7 lets through: a Receive Maximum or Maximum Packet Size of 0, a Request Problem /
   * Response Information other than 0 or 1 (3.1.2.11). What is wrong in its bytes {@link io.flowsdk.mqtt.protocol.WireCheck} refused.
   */
  private boolean connectProblem() {
    if (!mqtt5) {
      return false;
    }
    MqttProperties props = endpoint.connectProperties();
    Integer receiveMaximum = MqttProps.integer(props, MqttProperties.RECEIVE_MAXIMUM);
    Integer maxPacketSize = MqttProps.integer(props, MqttProperties.MAXIMUM_PACKET_SIZE);
    Integer problemInfo = MqttProps.integer(props, MqttProperties.REQUEST_PROBLEM_INFORMATION);
    Integer responseInfo = MqttProps.integer(props, MqttProperties.REQUEST_RESPONSE_INFORMATION);
    return Integer.valueOf(0).equals(receiveMaximum) || Integer.valueOf(0).equals(maxPacketSize)
      || problemInfo != null && problemInfo > 1 || responseInfo != null && responseInfo > 1;
  }

  private void refuse(ConnectRefusal refusal) {
    broker.meters.connectRefused(refusal);
    endpoint.reject(mqtt5 ? refusal.mqtt5 : refusal.mqtt311);
  }

  /** Takes over a connected session of the same client id, opens or resumes it, and sends CONNACK. */
  private void open(String username) {
    MqttBrokerOptions options = broker.options;
    MqttProperties connect = endpoint.connectProperties();
    String clientId = endpoint.clientIdentifier();
    boolean assigned = clientId == null;
    if (assigned) {
      clientId = "flowsdk-" + UUID.randomUUID();
      endpoint.setClientIdentifier(clientId);
    }
    acl = broker.accessControl.forClient(username, clientId);
    try {
      will = readWill(clientId);
    } catch (FlowException e) { // a will topic that is not a valid topic name
      broker.meters.protocolError(MqttDisconnectReasonCode.TOPIC_NAME_INVALID);
      if (mqtt5) {
        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID);
      } else {
        endpoint.close(); // 3.1.1 has no CONNACK code for it
      }
      return;
    }
    if (will != null && !acl.mayPublish(will.message.topic())) {
      broker.meters.denied(Access.PUBLISH);
      refuse(ConnectRefusal.NOT_AUTHORIZED);
      return;
    }
    long requestedExpiry = mqtt5 ? MqttProps.unsigned(connect, MqttProperties.SESSION_EXPIRY_INTERVAL, 0)
      : endpoint.isCleanSession() ? 0 : options.getMaxSessionExpirySeconds();
    long expiry = Math.min(requestedExpiry, options.getMaxSessionExpirySeconds());
    String id = clientId;
    broker.sessions.open(clientId, endpoint.isCleanSession(), expiry).onComplete(opened -> {
      if (opened.succeeded()) {
        session = opened.result().session;
        session.connection = this;
        if (closed) { // the client left while its session opened
          broker.sessions.detached(session, will);
        } else {
          attach(opened.result().present, requestedExpiry, expiry, assigned);
        }
      } else if (!closed) {
        refuse(id, FlowException.from(opened.cause()));
      }
    });
  }

  /** The session could not be opened: taken over meanwhile (MQTT 5: 0x8E after the CONNACK), or the store failed. */
  private void refuse(String clientId, FlowException failure) {
    will = null;
    if (failure.error() == FlowError.REFUSED) {
      endpoint.accept(false);
      disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
      return;
    }
    log.warn("session of " + clientId + " not opened: " + failure.getMessage());
    endpoint.reject(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
      : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
  }

  private void attach(boolean present, long requestedExpiry, long expiry, boolean assigned) {
    MqttBrokerOptions options = broker.options;
    MqttProperties connect = endpoint.connectProperties();
    String clientId = endpoint.clientIdentifier();
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
    endpoint.exceptionHandler(t -> violation(t instanceof ProtocolViolation v ? v
      : new ProtocolViolation(MqttDisconnectReasonCode.MALFORMED_PACKET, String.valueOf(t.getMessage()))));
    endpoint.accept(present, connack);
    broker.meters.connected(1);
    session.inbound.attach(this);
    Session attached = session;
    socket.drainHandler(v -> attached.outbound.writable());
    int clientReceiveMaximum = MqttProps.integer(connect, MqttProperties.RECEIVE_MAXIMUM, 65_535);
    queueWindow = Math.min(options.getMaxInflight(), clientReceiveMaximum);
    session.outbound.attach(this, clientReceiveMaximum, MqttProps.unsigned(connect, MqttProperties.MAXIMUM_PACKET_SIZE, PROTOCOL_MAX_PACKET));
    broker.sessions.standBy(session, false);
    guard.open();
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
      if (publishRate != null && !publishRate.tryTake()) {
        broker.meters.limitExceeded(Limit.PUBLISH_RATE);
        throw new ProtocolViolation(MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH,
          "more than " + broker.options.getPublishRatePerSecond() + " PUBLISH packets a second");
      }
      String topic = mqtt5
        ? aliases.resolve(publish.topicName(), MqttProps.integer(publish.properties(), MqttProperties.TOPIC_ALIAS))
        : publish.topicName();
      String problem = Topics.nameProblem(topic);
      if (problem != null) { // U+0000 or ill-formed UTF-8 (Netty refuses wildcards): MQTT-1.5.4-1/2
        throw new ProtocolViolation(MqttDisconnectReasonCode.MALFORMED_PACKET, problem);
      }
      if (mqtt5 && MqttProps.integer(publish.properties(), MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
        throw new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR,
          "a PUBLISH from a client must not carry a Subscription Identifier (MQTT-3.3.4-6)");
      }
      int qos = publish.qosLevel().value();
      broker.meters.received(qos);
      broker.meters.receivedBytes(MqttPacketSize.publish(topic, publish.payload().length(), qos, publish.properties(), mqtt5));
      String beyondLimits = broker.topicLimits.problem(topic);
      if (beyondLimits != null) {
        broker.meters.limitExceeded(Limit.TOPIC);
        notTaken(publish, new RefusedPublish(TOPIC_NAME_INVALID, beyondLimits));
        return;
      }
      if (SysTopics.isBrokers(topic) || !acl.mayPublish(topic)) {
        broker.meters.denied(Access.PUBLISH);
        notTaken(publish, new RefusedPublish(NOT_AUTHORIZED, "not authorized to publish to '" + topic + "'"));
        return;
      }
      RefusedPublish middlewareRefusal = broker.middleware.publishRefusal(topic);
      if (middlewareRefusal != null) {
        notTaken(publish, middlewareRefusal);
        return;
      }
      FlowMessage message = BrokerMessages.toFlowMessage(topic, publish.payload(), qos, publish.isRetain(),
        publish.properties(), session.origin);
      if (qos == 0) {
        take(message);
      } else if (session.inbound.admit(publish.messageId(), qos)) {
        session.inbound.complete(publish.messageId(), qos, take(message));
      }
    } catch (ProtocolViolation v) {
      violation(v);
    } catch (FlowException e) {
      violation(new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR, e.getMessage()));
    }
  }

  /** Hands a client's message to its queue ({@code $queue/<name>}) or to the bus; completes with the PUBACK reason. */
  private Future<Integer> take(FlowMessage message) {
    return MiddlewareTopics.isQueue(message.topic()) ? broker.middleware.enqueue(message) : broker.publisher.publish(message);
  }

  /**
   * A PUBLISH the broker itself does not take ({@code refusal}): MQTT 5 hears the reason on the
   * PUBACK at QoS 1 and on a DISCONNECT at QoS 2 (see {@link #refused}); MQTT 3.1.1, which has no
   * negative acknowledgement, is acknowledged and the message dropped, as it would be sent again
   * and refused forever. QoS 0 is dropped. Acknowledged in order with the others (MQTT-4.6.0-2).
   */
  private void notTaken(MqttPublishMessage publish, RefusedPublish refusal) {
    int qos = publish.qosLevel().value();
    if (qos > 0 && session.inbound.admit(publish.messageId(), qos)) {
      session.inbound.complete(publish.messageId(), qos, mqtt5 ? Future.failedFuture(refusal)
        : Future.succeededFuture(refusal.reason()));
    }
  }

  private void onSubscribe(MqttSubscribeMessage subscribe) {
    List<Integer> ids = MqttProps.subscriptionIds(subscribe.properties());
    String problem = subscribeProblem(subscribe, ids);
    if (problem != null) {
      violation(new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR, problem));
      return;
    }
    List<SessionSubscription> subs = new ArrayList<>();
    List<MqttSubAckReasonCode> refusals = new ArrayList<>();
    List<Future<Boolean>> results = new ArrayList<>();
    for (MqttTopicSubscription t : subscribe.topicSubscriptions()) {
      boolean toQueue = MiddlewareTopics.isQueue(t.topicName());
      MqttSubAckReasonCode refusal = subscribeRefusal(t.topicName());
      if (refusal == null && toQueue) {
        refusal = queues.refusal(t.topicName());
      }
      refusals.add(refusal);
      if (refusal != null) {
        subs.add(null);
        results.add(Future.failedFuture(refusal.name()));
        continue;
      }
      MqttSubscriptionOption o = t.subscriptionOption();
      int qos = toQueue ? Math.min(1, t.qualityOfService().value()) : t.qualityOfService().value(); // a queue delivers at most QoS 1
      SessionSubscription sub = new SessionSubscription(t.topicName(), qos,
        mqtt5 && o.isNoLocal(), mqtt5 && o.isRetainAsPublished(), mqtt5 ? o.retainHandling().value() : 0, ids);
      subs.add(sub);
      if (toQueue) { // the connection's consumer, started after the SUBACK; not a session subscription
        results.add(Future.succeededFuture(true));
        continue;
      }
      boolean adds = !session.subscriptions.containsKey(sub.filter);
      if (adds) {
        subscribing++;
      }
      results.add(broker.subscriptions.subscribe(session, sub).onComplete(done -> {
        if (adds) {
          subscribing--;
        }
      }));
    }
    Future.join(results).transform(done -> broker.sessions.saveSubscriptions(session)).onComplete(saved -> {
      if (closed || !endpoint.isConnected()) { // closed meanwhile; its closeHandler may not have run yet
        return;
      }
      List<MqttSubAckReasonCode> codes = new ArrayList<>();
      for (int i = 0; i < subs.size(); i++) {
        Future<Boolean> r = results.get(i);
        codes.add(r.succeeded() && saved.succeeded() ? MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(subs.get(i).qos))
          : mqtt5 && refusals.get(i) != null ? refusals.get(i) : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
      }
      endpoint.subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
      for (int i = 0; i < subs.size(); i++) {
        SessionSubscription sub = subs.get(i);
        if (results.get(i).failed()) {
          continue;
        }
        if (MiddlewareTopics.isQueue(sub.filter)) {
          queues.start(session, sub, queueWindow);
        } else {
          broker.subscriptions.sendRetained(session, sub, results.get(i).result());
          if (MiddlewareTopics.isTable(sub.filter) && sub.sendsRetained(results.get(i).result())) {
            broker.middleware.sendCurrent(session, sub);
          }
        }
      }
    });
  }

  /** A SUBSCRIBE the specification calls a protocol error, which vertx-mqtt 5.0.7 lets through; null when fine. */
  private String subscribeProblem(MqttSubscribeMessage subscribe, List<Integer> ids) {
    if (subscribe.topicSubscriptions().isEmpty()) {
      return "a SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3)";
    }
    if (ids.contains(0)) {
      return "a Subscription Identifier of 0 is a protocol error (3.8.2.1.2)";
    }
    for (MqttTopicSubscription t : subscribe.topicSubscriptions()) {
      if (mqtt5 && t.subscriptionOption().isNoLocal() && SharedFilter.isShared(t.topicName())) {
        return "No Local on a shared subscription is a protocol error (MQTT-3.8.3-4)";
      }
    }
    return null;
  }

  /**
   * Why the broker refuses a subscription on {@code filter} before the bus sees it (the MQTT 5 SUBACK
   * code; MQTT 3.1.1 gets 0x80 for each), or null: an invalid filter or one beyond the topic limits
   * (0x8F), one the ACL does not permit (0x87), one more than {@code maxSubscriptionsPerClient} (0x97).
   */
  private MqttSubAckReasonCode subscribeRefusal(String filter) {
    if (Topics.filterProblem(filter) != null) {
      return MqttSubAckReasonCode.TOPIC_FILTER_INVALID;
    }
    if (broker.topicLimits.problem(filter) != null) {
      broker.meters.limitExceeded(Limit.TOPIC);
      return MqttSubAckReasonCode.TOPIC_FILTER_INVALID;
    }
    if (!acl.maySubscribe(filter)) {
      broker.meters.denied(Access.SUBSCRIBE);
      return MqttSubAckReasonCode.NOT_AUTHORIZED;
    }
    if (!session.subscriptions.containsKey(filter)
      && session.subscriptions.size() + subscribing >= broker.options.getMaxSubscriptionsPerClient()) {
      broker.meters.limitExceeded(Limit.SUBSCRIPTIONS);
      return MqttSubAckReasonCode.QUOTA_EXCEEDED;
    }
    return null;
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    if (unsubscribe.topics().isEmpty()) {
      violation(new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR,
        "an UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2)"));
      return;
    }
    List<Future<Boolean>> results = new ArrayList<>();
    for (String filter : unsubscribe.topics()) {
      results.add(MiddlewareTopics.isQueue(filter) ? Future.succeededFuture(queues.unsubscribe(filter))
        : broker.subscriptions.unsubscribe(session, filter));
    }
    Future.join(results).transform(done -> broker.sessions.saveSubscriptions(session)).onComplete(saved -> {
      if (closed || !endpoint.isConnected()) {
        return;
      }
      List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
      for (Future<Boolean> r : results) {
        codes.add(r.failed() || saved.failed() ? MqttUnsubAckReasonCode.UNSPECIFIED_ERROR
          : r.result() ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
      }
      endpoint.unsubscribeAcknowledge(unsubscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
    });
  }

  /** Another connection took the session: MQTT 5 clients hear 0x8E, then the connection closes. */
  void takenOver(boolean byCleanStart) {
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
    broker.meters.protocolError(v.reason());
    log.debug("closing the connection of " + endpoint.clientIdentifier() + ": " + v.getMessage());
    disconnect(v.reason());
  }

  private void disconnect(MqttDisconnectReasonCode reason) {
    if (closed) {
      return;
    }
    if (mqtt5 && endpoint.isConnected()) { // not after our own close, which a second bad packet may follow
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
    queues.close();
    if (admitted) {
      broker.admitted--;
    }
    if (session == null) {
      return; // refused, or closed while its session opened: the open hands the session back
    }
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
  public boolean mayReceive(String topic) {
    return acl.mayReceive(topic);
  }

  @Override
  public void publish(OutgoingPublish p) {
    if (!closed && endpoint.isConnected()) {
      endpoint.publish(p.topic, p.payload, MqttQoS.valueOf(p.qos), p.dup, p.retain, p.packetId, p.properties);
    }
  }

  @Override
  public boolean writable() {
    return !socket.writeQueueFull();
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
