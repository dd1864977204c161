package io.flowsdk.mqtt.auth;

import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions.Access;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessControlTest {

  private final AccessControl acl = new AccessControl(List.of(
    new MqttAclRuleOptions().setAccess(List.of(Access.PUBLISH)).addTopic("users/%u/#").addTopic("clients/%c/#"),
    new MqttAclRuleOptions().setUser("ops").setClientIdRegex("console-[0-9]+").addTopic("#")));

  @Test
  void givenNoRules_thenEverythingIsPermitted() {
    AccessControl.ClientAcl all = new AccessControl(List.of()).forClient(null, "any");
    assertTrue(all.mayPublish("a/b") && all.maySubscribe("#") && all.mayReceive("a/b"));
  }

  @Test
  void givenSubstitutions_thenEachClientGetsItsOwnLevelAndNothingElse() {
    AccessControl.ClientAcl alice = acl.forClient("alice", "c1");
    assertTrue(alice.mayPublish("users/alice/x"));
    assertTrue(alice.mayPublish("clients/c1/x"));
    assertFalse(alice.mayPublish("users/bob/x"));
    assertFalse(alice.maySubscribe("users/alice/#"), "the rule permits PUBLISH only");
  }

  @Test
  void givenAnonymousOrNamesWithSeparatorsOrWildcards_thenTheirSubstitutedFiltersDoNotApply() {
    assertFalse(acl.forClient(null, "c1").mayPublish("users//x"), "%u is nobody for an anonymous client");
    assertTrue(acl.forClient(null, "c1").mayPublish("clients/c1/x"));
    assertFalse(acl.forClient("a/b", "c1").mayPublish("users/a/b/x"));
    assertFalse(acl.forClient("alice", "c/2").mayPublish("clients/c/2/x"));
    assertFalse(acl.forClient("alice", "+").mayPublish("clients/x/y"));
  }

  @Test
  void givenARuleForAUserAndClientIdPattern_thenBothMustMatch() {
    assertTrue(acl.forClient("ops", "console-1").maySubscribe("$share/g/any/#"));
    assertFalse(acl.forClient("ops", "console-x").maySubscribe("any/#"));
    assertFalse(acl.forClient("dev", "console-1").maySubscribe("any/#"));
  }
}
