package io.flowsdk.filter.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A dotted path into a JSON payload: {@code reading.temp}; a level that is a whole number indexes
 * an array ({@code readings.0.temp}).
 */
final class FieldPath {

  private final String[] levels;

  FieldPath(String path) {
    this.levels = path.split("\\.", -1);
  }

  static String problem(String path) {
    for (String level : path.split("\\.", -1)) {
      if (level.isEmpty()) {
        return "'" + path + "' has an empty level";
      }
    }
    return null;
  }

  /** The value at this path, or {@code null} when a level is missing or the payload is not JSON. */
  Object resolve(Object payload) {
    Object current = payload;
    for (String level : levels) {
      if (current instanceof JsonObject) {
        current = ((JsonObject) current).getValue(level);
      } else if (current instanceof JsonArray) {
        current = element((JsonArray) current, level);
      } else {
        return null;
      }
    }
    return current;
  }

  private static Object element(JsonArray array, String level) {
    try {
      int index = Integer.parseInt(level);
      return index >= 0 && index < array.size() ? array.getValue(index) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
