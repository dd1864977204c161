package io.flowsdk.mqtt.client;

/**
 * An MQTT reason code as carried by one packet kind. Every packet kind has its own enum
 * ({@link ConnectReason}, {@link PubAckReason}, ...); all of them implement this interface.
 */
public interface ReasonCode {

  /** The numeric code on the wire (0x00-0xFF). */
  int code();

  /** True for codes 0x80 and above, which the MQTT 5 specification defines as failures. */
  default boolean isError() {
    return code() >= 0x80;
  }
}
