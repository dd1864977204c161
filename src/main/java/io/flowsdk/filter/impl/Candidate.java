package io.flowsdk.filter.impl;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A message going through one rule: the message as published, its headers as the rule's actions
 * changed them so far, and its payload parsed as JSON once, on first use.
 */
final class Candidate {

  private static final Object NOT_JSON = new Object();

  final FlowMessage message;
  final List<FlowHeader> headers;
  private String[] levels;
  private Object payload;

  Candidate(FlowMessage message) {
    this.message = message;
    this.headers = new ArrayList<>(message.headers());
  }

  /** The topic level at {@code index} (from 0), or {@code null} when the topic has fewer levels. */
  String level(int index) {
    if (levels == null) {
      levels = message.topic().split("/", -1);
    }
    return index < levels.length ? levels[index] : null;
  }

  /** The first value of header {@code name} as the rule sees it now, or {@code null}. */
  String header(String name) {
    for (FlowHeader h : headers) {
      if (h.name().equals(name)) {
        return h.value();
      }
    }
    return null;
  }

  /** The parsed JSON payload (object, array, string, number, boolean), or {@code null} when it is not JSON. */
  Object payload() {
    if (payload == null) {
      try {
        Object decoded = Json.decodeValue(message.payload());
        payload = decoded == null ? NOT_JSON : decoded;
      } catch (DecodeException e) {
        payload = NOT_JSON;
      }
    }
    return payload == NOT_JSON ? null : payload;
  }
}
