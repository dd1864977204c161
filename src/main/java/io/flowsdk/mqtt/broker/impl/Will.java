package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;

/** The Will Message of a connection and its MQTT 5 Will Delay Interval (0 for 3.1.1). */
final class Will {

  final FlowMessage message;
  final long delaySeconds;

  Will(FlowMessage message, long delaySeconds) {
    this.message = message;
    this.delaySeconds = delaySeconds;
  }
}
