package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/**
 * The sequence ids of one direction of a stream: each is the previous plus one, so a lost, repeated or
 * reordered message is seen. From the client side the first is 0, with one allowance for FlowSDK's
 * r-proxy, which numbers both its ESTABLISH and the CONNECT after it 0: the second message may repeat 0.
 * From the broker side the first may be any id (FlowSDK's s-proxy does not say where it starts).
 */
final class SequenceCheck {

  private final boolean anyStart;
  private long last = -1;
  private int seen;

  private SequenceCheck(boolean anyStart) {
    this.anyStart = anyStart;
  }

  static SequenceCheck fromClientSide() {
    return new SequenceCheck(false);
  }

  static SequenceCheck fromBrokerSide() {
    return new SequenceCheck(true);
  }

  /** @throws FlowException PROTOCOL_ERROR naming the expected and the received id */
  void accept(long sequenceId) {
    boolean ok = (anyStart && seen == 0) || sequenceId == last + 1 || (seen == 1 && last == 0 && sequenceId == 0);
    if (!ok) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "sequence gap: expected sequence id " + (last + 1)
        + " but received " + Long.toUnsignedString(sequenceId));
    }
    last = sequenceId;
    seen++;
  }
}
