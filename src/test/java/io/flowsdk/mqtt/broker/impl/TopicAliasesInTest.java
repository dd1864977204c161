package io.flowsdk.mqtt.broker.impl;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopicAliasesInTest {

  @Test
  void givenAnAliasSetWithATopic_whenUsedWithAnEmptyTopic_thenItResolvesAndCanBeReassigned() {
    TopicAliasesIn aliases = new TopicAliasesIn(4);
    assertEquals("a/b", aliases.resolve("a/b", 1));
    assertEquals("a/b", aliases.resolve("", 1));
    assertEquals("c", aliases.resolve("c", 1));
    assertEquals("c", aliases.resolve("", 1));
  }

  @Test
  void givenBadAliases_thenTheReasonCodesAreTheSpecs() {
    TopicAliasesIn aliases = new TopicAliasesIn(4);
    assertEquals(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID,
      assertThrows(ProtocolViolation.class, () -> aliases.resolve("x", 5)).reason());
    assertEquals(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID,
      assertThrows(ProtocolViolation.class, () -> aliases.resolve("x", 0)).reason());
    assertEquals(MqttDisconnectReasonCode.PROTOCOL_ERROR,
      assertThrows(ProtocolViolation.class, () -> aliases.resolve("", 2)).reason());
    assertEquals(MqttDisconnectReasonCode.PROTOCOL_ERROR,
      assertThrows(ProtocolViolation.class, () -> aliases.resolve("", null)).reason());
  }
}
