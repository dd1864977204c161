package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The header actions: {@code setHeaders} (replacing every header of that name) and {@code removeHeaders}. */
final class HeaderActions {

  private HeaderActions() {
  }

  static Action set(RuleJson json) {
    JsonObject headers = json.nonEmptyObject("headers");
    List<FlowHeader> values = new ArrayList<>();
    for (Map.Entry<String, Object> e : headers) {
      if (!(e.getValue() instanceof String)) {
        throw RuleJson.invalid(json.at("headers") + "." + e.getKey(), "must be a string, not " + RuleJson.describe(e.getValue()));
      }
      values.add(new FlowHeader(e.getKey(), (String) e.getValue()));
    }
    return new Action() {
      @Override
      public String type() {
        return "setHeaders";
      }

      @Override
      public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
        for (FlowHeader h : values) {
          candidate.headers.removeIf(existing -> existing.name().equals(h.name()));
          candidate.headers.add(h);
        }
        return Outcome.PASSED;
      }
    };
  }

  static Action remove(RuleJson json) {
    JsonArray names = json.nonEmptyArray("names");
    List<String> list = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (!(names.getValue(i) instanceof String)) {
        throw RuleJson.invalid(json.at("names") + "[" + i + "]", "must be a string, not " + RuleJson.describe(names.getValue(i)));
      }
      list.add(names.getString(i));
    }
    return new Action() {
      @Override
      public String type() {
        return "removeHeaders";
      }

      @Override
      public Outcome apply(Candidate candidate, long nowNanos, List<FlowMessage> forwards) {
        candidate.headers.removeIf(h -> list.contains(h.name()));
        return Outcome.PASSED;
      }
    };
  }
}
