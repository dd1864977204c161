package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.auth.AccessControl;
import io.flowsdk.mqtt.protocol.MqttPacketSize;
import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.relay.MqttProxyOptions;
import io.flowsdk.util.TokenBucket;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one proxied client may send, checked packet by packet on its way to the broker: its ACL on
 * PUBLISH (topic aliases resolved) and SUBSCRIBE, and its publish rate limits. A SUBSCRIBE with some
 * filters denied goes to the broker without them, and the broker's SUBACK gets the denied filters'
 * codes back in their places. Everything else about the session stays the broker's. Lives on the
 * session's event loop.
 */
final class ClientRules {

  /** SUBACK "Not authorized" (5.0); 3.1.1 has only "Failure". */
  static final int NOT_AUTHORIZED = 0x87;
  private static final int FAILURE = 0x80;

  private final AccessControl.ClientAcl acl;
  private final boolean mqtt5;
  /** Null without a limit. */
  private final TokenBucket messages;
  private final TokenBucket bytes;
  /** Topic Alias -> topic, as the client set them; only aliases up to the broker's Topic Alias Maximum. */
  private final Map<Integer, String> aliases = new HashMap<>();
  private int aliasMaximum;
  /** SUBSCRIBE packet id -> which of its filters were denied, until the broker's SUBACK. */
  private final Map<Integer, boolean[]> partlyDenied = new HashMap<>();

  ClientRules(AccessControl.ClientAcl acl, boolean mqtt5, MqttProxyOptions options, LongSupplier nanoClock) {
    this.acl = acl;
    this.mqtt5 = mqtt5;
    this.messages = options.getPublishRatePerSecond() == 0 ? null
      : new TokenBucket(options.getPublishRatePerSecond(), options.getPublishBurst(), nanoClock);
    this.bytes = options.getPublishBytesPerSecond() == 0 ? null
      : new TokenBucket(options.getPublishBytesPerSecond(), options.getPublishBytesBurst(), nanoClock);
  }

  /** The broker's CONNACK said how many topic aliases the client may set. */
  void brokerAliasMaximum(int maximum) {
    aliasMaximum = maximum;
  }

  /**
   * Why {@code publish} must not reach the broker, or null: the client is over a rate limit
   * ({@code MESSAGE_RATE}, {@code BYTE_RATE}) or the ACL does not permit the topic ({@code PUBLISH_DENIED}).
   */
  ProxyMeters.Reason publishRefusal(MqttPublishMessage publish) {
    String wireTopic = publish.variableHeader().topicName();
    MqttProperties props = publish.variableHeader().properties();
    if (messages != null && !messages.tryTake()) {
      return ProxyMeters.Reason.MESSAGE_RATE;
    }
    if (bytes != null && !bytes.tryTake(MqttPacketSize.publish(wireTopic, publish.payload().readableBytes(),
      publish.fixedHeader().qosLevel().value(), props, mqtt5))) {
      return ProxyMeters.Reason.BYTE_RATE;
    }
    String topic = resolve(wireTopic, mqtt5 ? MqttProps.integer(props, MqttProperties.TOPIC_ALIAS) : null);
    // an alias the client never set reaches the broker, which ends the session (a protocol error)
    return topic == null || acl.mayPublish(topic) ? null : ProxyMeters.Reason.PUBLISH_DENIED;
  }

  private String resolve(String topic, Integer alias) {
    if (alias == null) {
      return topic;
    }
    if (!topic.isEmpty()) {
      if (alias >= 1 && alias <= aliasMaximum) {
        aliases.put(alias, topic);
      }
      return topic;
    }
    return aliases.get(alias);
  }

  /**
   * The SUBSCRIBE to send the broker: {@code subscribe} itself when the ACL permits each filter, one
   * without the denied filters when it permits some, null when it permits none (answer with
   * {@link #deniedSubAck}). Counts each denied filter in {@code denied}.
   */
  MqttSubscribeMessage permitted(MqttSubscribeMessage subscribe, Runnable denied) {
    List<MqttTopicSubscription> all = subscribe.payload().topicSubscriptions();
    boolean[] refused = new boolean[all.size()];
    List<MqttTopicSubscription> allowed = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      refused[i] = !acl.maySubscribe(all.get(i).topicFilter());
      if (refused[i]) {
        denied.run();
      } else {
        allowed.add(all.get(i));
      }
    }
    if (allowed.size() == all.size()) {
      return subscribe;
    }
    if (allowed.isEmpty()) {
      return null;
    }
    MqttMessageIdAndPropertiesVariableHeader header = subscribe.idAndPropertiesVariableHeader();
    partlyDenied.put(header.messageId(), refused);
    return new MqttSubscribeMessage(NettyPackets.fixed(MqttMessageType.SUBSCRIBE), header, new MqttSubscribePayload(allowed));
  }

  /** The SUBACK for a SUBSCRIBE whose every filter was denied. */
  MqttSubAckMessage deniedSubAck(MqttSubscribeMessage subscribe) {
    List<Integer> codes = new ArrayList<>();
    subscribe.payload().topicSubscriptions().forEach(s -> codes.add(deniedCode()));
    return new MqttSubAckMessage(NettyPackets.fixed(MqttMessageType.SUBACK),
      new MqttMessageIdAndPropertiesVariableHeader(subscribe.idAndPropertiesVariableHeader().messageId(), MqttProperties.NO_PROPERTIES),
      new MqttSubAckPayload(codes));
  }

  /** The broker's SUBACK, with the codes of the filters that were denied put back in their places. */
  MqttSubAckMessage toClient(MqttSubAckMessage subAck) {
    boolean[] refused = partlyDenied.remove(subAck.idAndPropertiesVariableHeader().messageId());
    if (refused == null) {
      return subAck;
    }
    List<Integer> granted = subAck.payload().reasonCodes();
    List<Integer> codes = new ArrayList<>();
    int next = 0;
    for (boolean r : refused) {
      codes.add(r ? deniedCode() : next < granted.size() ? granted.get(next++) : FAILURE);
    }
    return new MqttSubAckMessage(NettyPackets.fixed(MqttMessageType.SUBACK), subAck.idAndPropertiesVariableHeader(),
      new MqttSubAckPayload(codes));
  }

  private int deniedCode() {
    return mqtt5 ? NOT_AUTHORIZED : FAILURE;
  }
}
