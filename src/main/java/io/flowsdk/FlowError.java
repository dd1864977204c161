package io.flowsdk;

/**
 * What went wrong, as a value every adapter maps onto its protocol's answer (an MQTT reason code,
 * a gRPC status). Each code has a stable number that travels on the event bus as the
 * {@link io.vertx.core.eventbus.ReplyException#failureCode() failure code} of a reply.
 */
public enum FlowError {
  /** No answer within the configured time. Retrying may help. */
  TIMEOUT(1, true),
  /** Nobody subscribes to the topic or serves the address. Retrying after a subscriber appears helps. */
  NO_ROUTE(2, true),
  /** A bounded buffer, window or rate limit is full. Retrying later helps. */
  OVERLOADED(3, true),
  /** The caller is not allowed to do this. */
  NOT_AUTHORIZED(4, false),
  /** The connection or node went away before the operation completed. */
  DISCONNECTED(5, true),
  /** The peer broke the protocol (malformed packet, wrong state). */
  PROTOCOL_ERROR(6, false),
  /** A message or packet exceeds a configured or negotiated size limit. */
  TOO_LARGE(7, false),
  /** An argument is not valid: bad topic, bad option value, bad configuration. */
  INVALID(8, false),
  /** The operation was cancelled or the resource closed by its owner. */
  CANCELLED(9, false),
  /** The peer refused the operation with a reason of its own (see the message). */
  REFUSED(10, false),
  /** A bug or an unexpected failure inside FlowSDK. */
  INTERNAL(11, false),
  /** The thing named (a client, a session, a retained topic) does not exist. */
  NOT_FOUND(12, false);

  /** Event-bus failure codes of FlowSDK replies are this base plus {@link #number()}. */
  public static final int FAILURE_CODE_BASE = 0x464C0000;

  private final int number;
  private final boolean retriable;

  FlowError(int number, boolean retriable) {
    this.number = number;
    this.retriable = retriable;
  }

  public int number() {
    return number;
  }

  /** True when the same operation may succeed if tried again later unchanged. */
  public boolean retriable() {
    return retriable;
  }

  public int failureCode() {
    return FAILURE_CODE_BASE + number;
  }

  /** The error for an event-bus failure code, or {@code null} when the code is not one of ours. */
  public static FlowError fromFailureCode(int failureCode) {
    int n = failureCode - FAILURE_CODE_BASE;
    for (FlowError e : values()) {
      if (e.number == n) {
        return e;
      }
    }
    return null;
  }
}
