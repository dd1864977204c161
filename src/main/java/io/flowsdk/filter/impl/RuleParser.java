package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.topic.SharedFilter;
import io.flowsdk.topic.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Turns the {@code rules} JSON of a filter into {@link Rule}s, refusing the first mistake with
 * {@code INVALID} and a message naming its JSON path ({@code rules[1].actions[0].perSecond}) and
 * the reason.
 */
final class RuleParser {

  static final List<String> ACTION_TYPES = List.of("forward", "drop", "sample", "rateLimit", "dedupe", "setHeaders", "removeHeaders");

  private final FlowOrigin origin;
  private final DoubleSupplier random;

  RuleParser(FlowOrigin origin, DoubleSupplier random) {
    this.origin = origin;
    this.random = random;
  }

  List<Rule> parse(JsonArray rules) {
    List<Rule> out = new ArrayList<>(rules.size());
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      String path = "rules[" + i + "]";
      RuleJson json = RuleJson.object(rules.getValue(i), path, "name", "topic", "when", "actions");
      String name = json.requiredString("name");
      Integer earlier = names.putIfAbsent(name, i);
      if (earlier != null) {
        throw RuleJson.invalid(json.at("name"), "'" + name + "' is the name of rules[" + earlier + "] too");
      }
      String filter = json.requiredString("topic");
      if (SharedFilter.isShared(filter)) {
        throw RuleJson.invalid(json.at("topic"), "must be a plain topic filter, not a shared subscription");
      }
      String problem = Topics.filterProblem(filter);
      if (problem != null) {
        throw RuleJson.invalid(json.at("topic"), problem);
      }
      Condition when = json.has("when") ? Condition.parse(json.json.getValue("when"), json.at("when")) : Condition.ALWAYS;
      out.add(new Rule(i, name, filter, when, actions(json, filter)));
    }
    return out;
  }

  private List<Action> actions(RuleJson rule, String filter) {
    JsonArray items = rule.nonEmptyArray("actions");
    List<Action> out = new ArrayList<>(items.size());
    for (int k = 0; k < items.size(); k++) {
      String path = rule.at("actions") + "[" + k + "]";
      if (!out.isEmpty() && out.get(out.size() - 1) instanceof DropAction) {
        throw RuleJson.invalid(path, "comes after 'drop' and would never run");
      }
      out.add(action(items.getValue(k), path, filter));
    }
    return out;
  }

  private Action action(Object value, String path, String filter) {
    if (!(value instanceof JsonObject)) {
      throw RuleJson.invalid(path, "must be an object, not " + RuleJson.describe(value));
    }
    Object type = ((JsonObject) value).getValue("type");
    if (type == null) {
      throw RuleJson.invalid(path + ".type", "is required: one of " + ACTION_TYPES);
    }
    if (!ACTION_TYPES.contains(type)) {
      throw RuleJson.invalid(path + ".type", "must be one of " + ACTION_TYPES + ", not " + RuleJson.describe(type));
    }
    switch ((String) type) {
      case "forward":
        RuleJson forward = RuleJson.object(value, path, "type", "topic");
        return ForwardAction.parse(forward.requiredString("topic"), filter, forward.at("topic"), origin);
      case "drop":
        RuleJson.object(value, path, "type");
        return new DropAction();
      case "sample":
        return SampleAction.parse(RuleJson.object(value, path, "type", "oneIn", "fraction"), random);
      case "rateLimit":
        return RateLimitAction.parse(RuleJson.object(value, path, "type", "perSecond", "burst", "key", "maxKeys"));
      case "dedupe":
        return DedupeAction.parse(RuleJson.object(value, path, "type", "key", "windowMillis", "maxKeys"));
      case "setHeaders":
        return HeaderActions.set(RuleJson.object(value, path, "type", "headers"));
      case "removeHeaders":
        return HeaderActions.remove(RuleJson.object(value, path, "type", "names"));
      default:
        throw new IllegalStateException("action type without a parser: " + type);
    }
  }
}
