package io.flowsdk.filter.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One JSON object of a rule and its JSON path ({@code rules[2].actions[0]}): strict reads whose
 * failures name the path of the offending value and the reason.
 */
final class RuleJson {

  final JsonObject json;
  final String path;

  private RuleJson(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** {@code value} at {@code path} as an object whose keys are all in {@code known}. */
  static RuleJson object(Object value, String path, String... known) {
    if (!(value instanceof JsonObject)) {
      throw invalid(path, "must be an object, not " + describe(value));
    }
    JsonObject json = (JsonObject) value;
    List<String> knownKeys = Arrays.asList(known);
    TreeSet<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(knownKeys);
    if (!unknown.isEmpty()) {
      throw invalid(path + "." + unknown.first(), "unknown key; known keys are " + knownKeys);
    }
    return new RuleJson(json, path);
  }

  static FlowException invalid(String path, String reason) {
    return new FlowException(FlowError.INVALID, "invalid filter rule at " + path + ": " + reason);
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return value instanceof String ? "'" + value + "'" : value.toString();
  }

  String at(String key) {
    return path + "." + key;
  }

  boolean has(String key) {
    return json.containsKey(key);
  }

  String requiredString(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      throw invalid(at(key), "is required");
    }
    if (!(v instanceof String) || ((String) v).isEmpty()) {
      throw invalid(at(key), "must be a non-empty string, not " + describe(v));
    }
    return (String) v;
  }

  long wholeNumber(String key, long defaultValue, long min) {
    Object v = json.getValue(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min) {
      throw invalid(at(key), "must be a whole number of at least " + min + ", not " + describe(v));
    }
    return ((Number) v).longValue();
  }

  double positiveNumber(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      throw invalid(at(key), "is required");
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() <= 0) {
      throw invalid(at(key), "must be a number above 0, not " + describe(v));
    }
    return ((Number) v).doubleValue();
  }

  JsonArray nonEmptyArray(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      throw invalid(at(key), "is required");
    }
    if (!(v instanceof JsonArray) || ((JsonArray) v).isEmpty()) {
      throw invalid(at(key), "must be a non-empty array, not " + describe(v));
    }
    return (JsonArray) v;
  }

  JsonObject nonEmptyObject(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      throw invalid(at(key), "is required");
    }
    if (!(v instanceof JsonObject) || ((JsonObject) v).isEmpty()) {
      throw invalid(at(key), "must be a non-empty object, not " + describe(v));
    }
    return (JsonObject) v;
  }
}
