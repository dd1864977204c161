package io.flowsdk.bus;

/** MQTT 5's payload format indicator: whether the payload is declared to be UTF-8 text. */
public enum PayloadFormat {
  UNSPECIFIED,
  UTF8
}
