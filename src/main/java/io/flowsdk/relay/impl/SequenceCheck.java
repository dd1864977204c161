package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/**
 * The sequence ids of one direction of a stream: the first is 0 and each next one is the previous plus
 * one, so a lost, repeated or reordered message is seen. One allowance for FlowSDK's r-proxy, which
 * numbers both its ESTABLISH and the CONNECT after it 0: the second message may repeat 0.
 */
final class SequenceCheck {

  private long last = -1;
  private int seen;

  /** @throws FlowException PROTOCOL_ERROR naming the expected and the received id */
  void accept(long sequenceId) {
    boolean ok = sequenceId == last + 1 || (seen == 1 && last == 0 && sequenceId == 0);
    if (!ok) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "sequence gap: expected sequence id " + (last + 1)
        + " but received " + Long.toUnsignedString(sequenceId));
    }
    last = sequenceId;
    seen++;
  }
}
