package io.flowsdk.config;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Strict reading of options JSON: unknown keys and values of the wrong type are errors that name
 * the options class and the key, never silently ignored.
 */
public final class JsonOptions {

  private final JsonObject json;
  private final String owner;

  private JsonOptions(JsonObject json, String owner) {
    this.json = json;
    this.owner = owner;
  }

  /**
   * A reader for {@code json}, the JSON form of {@code owner}; fails with {@link FlowError#INVALID}
   * when {@code json} has a key not in {@code knownKeys}.
   */
  public static JsonOptions read(JsonObject json, String owner, String... knownKeys) {
    Set<String> known = new LinkedHashSet<>(Arrays.asList(knownKeys));
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
        + " in " + owner + "; known options are " + known);
    }
    return new JsonOptions(json, owner);
  }

  /**
   * Fails with {@link FlowError#INVALID} when {@code json}, the JSON form of {@code owner}, has a key that
   * has moved: {@code moved} maps each old key to where its value is read now, which the message names.
   */
  public static void rejectMoved(JsonObject json, String owner, Map<String, String> moved) {
    for (String key : new TreeSet<>(json.fieldNames())) {
      if (moved.containsKey(key)) {
        throw new FlowException(FlowError.INVALID, "option '" + key + "' of " + owner + " moved to '" + moved.get(key) + "'");
      }
    }
  }

  public boolean has(String key) {
    return json.containsKey(key);
  }

  public String string(String key, String defaultValue) {
    Object v = json.getValue(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof String)) {
      throw wrongType(key, "a string", v);
    }
    return (String) v;
  }

  public int integer(String key, int defaultValue) {
    long v = longValue(key, defaultValue);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new FlowException(FlowError.INVALID, "option '" + key + "' of " + owner + " is out of range: " + v);
    }
    return (int) v;
  }

  public long longValue(String key, long defaultValue) {
    Object v = json.getValue(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number) || v instanceof Double || v instanceof Float) {
      throw wrongType(key, "a whole number", v);
    }
    return ((Number) v).longValue();
  }

  public double doubleValue(String key, double defaultValue) {
    Object v = json.getValue(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number)) {
      throw wrongType(key, "a number", v);
    }
    return ((Number) v).doubleValue();
  }

  public boolean bool(String key, boolean defaultValue) {
    Object v = json.getValue(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Boolean)) {
      throw wrongType(key, "true or false", v);
    }
    return (Boolean) v;
  }

  public JsonObject object(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw wrongType(key, "an object", v);
    }
    return (JsonObject) v;
  }

  public JsonArray array(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray)) {
      throw wrongType(key, "an array", v);
    }
    return (JsonArray) v;
  }

  /**
   * The array {@code key}, each entry an object read by {@code reader}; empty when the key is absent (an
   * empty array is a list of none). Fails with {@link FlowError#INVALID} when an entry is not an object.
   */
  public <T> Optional<List<T>> objects(String key, Function<JsonObject, T> reader) {
    JsonArray array = array(key);
    if (array == null) {
      return Optional.empty();
    }
    List<T> read = new ArrayList<>();
    for (Object entry : array) {
      if (!(entry instanceof JsonObject)) {
        throw new FlowException(FlowError.INVALID, "entries of option '" + key + "' of " + owner + " must be objects, not " + entry);
      }
      read.add(reader.apply((JsonObject) entry));
    }
    return Optional.of(read);
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    String v = string(key, null);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      throw new FlowException(FlowError.INVALID, "option '" + key + "' of " + owner + " must be one of "
        + Arrays.toString(type.getEnumConstants()) + ", not '" + v + "'");
    }
  }

  /** Fails with {@link FlowError#INVALID} unless {@code value} is within {@code [min, max]}. */
  public static long checkRange(String owner, String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new FlowException(FlowError.INVALID, "option '" + key + "' of " + owner + " must be " + min + ".." + max + ", not " + value);
    }
    return value;
  }

  /** {@code value} if it is a fraction, 0..1; anything else (NaN too) fails with {@link FlowError#INVALID}. */
  public static double checkFraction(String owner, String key, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new FlowException(FlowError.INVALID, "option '" + key + "' of " + owner + " must be 0..1, not " + value);
    }
    return value;
  }

  private FlowException wrongType(String key, String expected, Object actual) {
    return new FlowException(FlowError.INVALID, "option '" + key + "' of " + owner + " must be " + expected
      + ", not " + (actual instanceof String ? "the string " : "") + Json.encode(actual));
  }
}
