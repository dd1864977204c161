package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectInfo;

/** What the protocol state machine reports to the client around it. */
interface SessionListener {

  void connected(ConnAckInfo info);

  /** A connection that had been established ended; {@code info} says why. */
  void disconnected(DisconnectInfo info);

  void error(FlowException error);
}
