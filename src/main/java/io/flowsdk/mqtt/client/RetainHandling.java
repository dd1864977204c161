package io.flowsdk.mqtt.client;

/** MQTT 5 Retain Handling subscription option: when the broker sends retained messages. */
public enum RetainHandling {
  /** Send retained messages at every subscribe (0). */
  SEND_ON_SUBSCRIBE,
  /** Send retained messages only if the subscription did not exist yet (1). */
  SEND_IF_NEW_SUBSCRIPTION,
  /** Never send retained messages for this subscribe (2). */
  DO_NOT_SEND;

  /** The wire value 0, 1 or 2. */
  public int value() {
    return ordinal();
  }
}
