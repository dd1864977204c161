package io.flowsdk.mqtt.auth;

import io.flowsdk.mqtt.broker.MqttAclRuleOptions;
import io.flowsdk.mqtt.broker.MqttAclRuleOptions.Access;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An access control list (the broker's and the MQTT proxy's {@code acl}), and what it gives one
 * client: the filters each {@link Access} permits it, with {@code %u} and {@code %c} replaced. Without rules everything is permitted; with
 * rules only what one of them permits. A filter with {@code %u} does not apply to an anonymous
 * client, nor one with {@code %u} or {@code %c} to a name containing {@code /}, {@code +} or
 * {@code #} (it would reach other clients' topics).
 */
public final class AccessControl {

  private final List<MqttAclRuleOptions> rules;

  public AccessControl(List<MqttAclRuleOptions> rules) {
    this.rules = List.copyOf(rules);
  }

  /** What the client {@code clientId}, authenticated as {@code username} (null: anonymous), may do. */
  public ClientAcl forClient(String username, String clientId) {
    if (rules.isEmpty()) {
      return ClientAcl.ALL;
    }
    Map<Access, List<String>> permitted = new EnumMap<>(Access.class);
    for (Access a : Access.values()) {
      permitted.put(a, new ArrayList<>());
    }
    for (MqttAclRuleOptions rule : rules) {
      if (!rule.appliesTo(username, clientId)) {
        continue;
      }
      for (String filter : rule.getTopics()) {
        String resolved = substitute(filter, username, clientId);
        if (resolved != null) {
          rule.getAccess().forEach(a -> permitted.get(a).add(resolved));
        }
      }
    }
    return new ClientAcl(permitted);
  }

  private static String substitute(String filter, String username, String clientId) {
    if (filter.contains("%u") && !safeLevel(username) || filter.contains("%c") && !safeLevel(clientId)) {
      return null;
    }
    return filter.replace("%u", username == null ? "" : username).replace("%c", clientId);
  }

  private static boolean safeLevel(String name) {
    return name != null && !name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('+') < 0 && name.indexOf('#') < 0;
  }

  /** One client's permissions. */
  public static final class ClientAcl {

    public static final ClientAcl ALL = new ClientAcl(null);

    private final Map<Access, List<String>> permitted;

    private ClientAcl(Map<Access, List<String>> permitted) {
      this.permitted = permitted;
    }

    public boolean mayPublish(String topic) {
      return permitted == null || permitted.get(Access.PUBLISH).stream().anyMatch(f -> Topics.matches(f, topic));
    }

    public boolean mayReceive(String topic) {
      return permitted == null || permitted.get(Access.RECEIVE).stream().anyMatch(f -> Topics.matches(f, topic));
    }

    /** Whether every topic {@code filter} can match (its {@code $share/group/} prefix aside) is in a permitted filter. */
    public boolean maySubscribe(String filter) {
      String target = SharedFilter.matchFilter(filter);
      return permitted == null || permitted.get(Access.SUBSCRIBE).stream().anyMatch(f -> Topics.covers(f, target));
    }
  }
}
