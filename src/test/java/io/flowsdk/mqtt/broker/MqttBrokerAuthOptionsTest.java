package io.flowsdk.mqtt.broker;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.security.PasswordHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON form of users, ACL rules and listener authentication, and what it refuses. */
class MqttBrokerAuthOptionsTest {

  @Test
  void givenUsersAclAndLimits_whenReadFromJsonAndWrittenBack_thenTheSame() {
    String hash = PasswordHash.hash("pw", 1000);
    JsonObject json = new MqttBrokerOptions()
      .addUser(new MqttUserOptions().setUsername("alice").setPasswordHash(hash))
      .addAclRule(new MqttAclRuleOptions().setUser("alice").setClientIdRegex("a-.*").addTopic("a/%u/#"))
      .setMaxConnections(5).setPublishRatePerSecond(7).setSysIntervalSeconds(0).toJson();
    MqttBrokerOptions read = new MqttBrokerOptions(json);
    assertEquals(json, read.toJson());
    assertTrue(read.getAcl().get(0).appliesTo("alice", "a-1"));
    assertFalse(read.getAcl().get(0).appliesTo("alice", "b-1"));
  }

  @Test
  void givenAPlainTextPassword_thenInvalidNamingTheUserAndTheCommandThatMakesAHash() {
    JsonObject json = new JsonObject().put("users", new JsonArray().add(new JsonObject().put("username", "alice")
      .put("passwordHash", "wonderland")));
    FlowException e = assertThrows(FlowException.class, () -> new MqttBrokerOptions(json));
    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().contains("user 'alice'") && e.getMessage().contains("io.flowsdk.security.PasswordHash"),
      e.getMessage());
    assertFalse(e.getMessage().contains("wonderland"), e.getMessage());
  }

  @Test
  void givenBadRulesAndListeners_thenInvalidSayingWhy() {
    assertThrows(FlowException.class, () -> new MqttAclRuleOptions(new JsonObject().put("topics", new JsonArray())));
    assertThrows(FlowException.class, () -> new MqttAclRuleOptions(new JsonObject().put("topics", new JsonArray().add("a/#/b"))));
    assertThrows(FlowException.class, () -> new MqttAclRuleOptions(new JsonObject().put("access", new JsonArray().add("READ"))
      .put("topics", new JsonArray().add("a"))));
    FlowException e = assertThrows(FlowException.class,
      () -> new MqttListenerOptions(new JsonObject().put("certificateUsername", true)));
    assertTrue(e.getMessage().contains("clientAuth"), e.getMessage());
  }
}
