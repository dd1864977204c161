package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.auth.AccessControl;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.relay.MqttProxyOptions;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ClientRulesTest {

  private static ClientRules rules(boolean mqtt5) {
    AccessControl acl = new AccessControl(List.of(new MqttAclRuleOptions().addTopic("mine/#")));
    return new ClientRules(acl.forClient(null, "c"), mqtt5, new MqttProxyOptions(), System::nanoTime);
  }

  private static MqttPublishMessage publish(String topic, Integer alias) {
    MqttProperties props = new MqttProperties();
    if (alias != null) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
    }
    return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
      new MqttPublishVariableHeader(topic, 1, props), Unpooled.EMPTY_BUFFER);
  }

  private static MqttSubscribeMessage subscribe(int id, String... filters) {
    return new MqttSubscribeMessage(NettyPackets.fixed(MqttMessageType.SUBSCRIBE),
      new MqttMessageIdAndPropertiesVariableHeader(id, MqttProperties.NO_PROPERTIES),
      new MqttSubscribePayload(Arrays.stream(filters).map(f -> new MqttTopicSubscription(f, MqttQoS.AT_LEAST_ONCE)).toList()));
  }

  @Test
  void givenTopicAliases_whenAPublishNamesItsTopicByAliasOnly_thenTheAclJudgesTheTopicTheAliasStandsFor() {
    ClientRules rules = rules(true);
    rules.brokerAliasMaximum(2);
    assertNull(rules.publishRefusal(publish("mine/a", 1)));
    assertEquals(ProxyMeters.Reason.PUBLISH_DENIED, rules.publishRefusal(publish("theirs/b", 2)));
    assertNull(rules.publishRefusal(publish("", 1)));
    assertEquals(ProxyMeters.Reason.PUBLISH_DENIED, rules.publishRefusal(publish("", 2)));
    assertNull(rules.publishRefusal(publish("mine/c", 3)), "alias 3 is beyond the broker's maximum and not kept");
    assertNull(rules.publishRefusal(publish("", 3)), "an unknown alias goes on to the broker, which ends the session");
  }

  @Test
  void givenASubscribeWithDeniedFiltersBetweenPermittedOnes_thenTheBrokerSeesOnlyThePermittedAndTheClientEveryCodeInPlace() {
    ClientRules rules = rules(true);
    AtomicInteger denied = new AtomicInteger();
    MqttSubscribeMessage forwarded = rules.permitted(subscribe(5, "theirs/a", "mine/b", "theirs/c", "mine/d"),
      denied::incrementAndGet);
    assertEquals(List.of("mine/b", "mine/d"),
      forwarded.payload().topicSubscriptions().stream().map(MqttTopicSubscription::topicFilter).toList());
    assertEquals(5, forwarded.idAndPropertiesVariableHeader().messageId());
    assertEquals(2, denied.get());
    MqttSubAckMessage fromBroker = new MqttSubAckMessage(NettyPackets.fixed(MqttMessageType.SUBACK),
      new MqttMessageIdAndPropertiesVariableHeader(5, MqttProperties.NO_PROPERTIES), new MqttSubAckPayload(1, 0));
    assertEquals(List.of(0x87, 1, 0x87, 0), rules.toClient(fromBroker).payload().reasonCodes());
    assertSame(fromBroker, rules.toClient(fromBroker), "a second SUBACK with that id is not the partly denied one's");
  }

  @Test
  void givenMqtt311AndEveryFilterDenied_thenTheProxyAnswersWithFailureForEach() {
    ClientRules rules = rules(false);
    MqttSubscribeMessage all = subscribe(9, "theirs/a", "theirs/b");
    assertNull(rules.permitted(all, () -> { }));
    assertEquals(List.of(0x80, 0x80), rules.deniedSubAck(all).payload().reasonCodes());
    MqttSubscribeMessage mine = subscribe(10, "mine/a");
    assertSame(mine, rules.permitted(mine, () -> { }), "a SUBSCRIBE the ACL permits whole goes on unchanged");
  }
}
