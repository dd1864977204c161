package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;

/**
 * MQTT 5 request/response has no error reply, so the bridge sends one of its own: the user property
 * {@value #ERROR_PROPERTY} with the {@link FlowError} name and the message as UTF-8 payload. A reply
 * carrying it becomes a failed request on the bus again, with the same code.
 */
public final class ReplyErrors {

  /** The user property naming the error of a failed request. */
  public static final String ERROR_PROPERTY = "flowsdk-error";

  private ReplyErrors() {
  }

  /** An error reply on {@code topic} for {@code failure}. */
  public static FlowMessage.Builder errorReply(String topic, FlowException failure) {
    return FlowMessage.builder(topic)
      .header(ERROR_PROPERTY, failure.error().name())
      .contentType("text/plain; charset=utf-8")
      .payload(String.valueOf(failure.getMessage()));
  }

  /** The failure an error reply carries, or null when {@code reply} is an answer. */
  public static FlowException failureOf(FlowMessage reply) {
    String code = reply.header(ERROR_PROPERTY);
    if (code == null) {
      return null;
    }
    FlowError error;
    try {
      error = FlowError.valueOf(code);
    } catch (IllegalArgumentException e) {
      error = FlowError.REFUSED;
    }
    return new FlowException(error, reply.payload().toString());
  }
}
