package io.flowsdk.mqtt.testing;

/** Why a {@link RawMqttClient} wait ended without what it waited for. */
public final class RawClientException extends RuntimeException {

  /** What happened instead. */
  public enum Kind {
    /** The connection closed. */
    CLOSED,
    /** The time ran out. */
    TIMEOUT
  }

  private final Kind kind;

  public RawClientException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
