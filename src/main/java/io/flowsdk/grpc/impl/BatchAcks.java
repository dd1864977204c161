package io.flowsdk.grpc.impl;

import io.flowsdk.grpc.v1.PublishAck;
import io.flowsdk.grpc.v1.PublishAcks;
import io.flowsdk.grpc.v1.SequenceRange;

/**
 * The outcomes of batched PublishStream messages gathered until they are sent: published sequences
 * as ranges (a sequence one above the last range's end extends it), failures one by one. Holds at
 * most the stream's credit of outcomes, since each message owns one credit until it is acknowledged.
 */
final class BatchAcks {

  private PublishAcks.Builder acks = PublishAcks.newBuilder();
  private SequenceRange.Builder open;

  void published(long sequence) {
    if (open != null && sequence == open.getLast() + 1) {
      open.setLast(sequence);
      return;
    }
    closeRange();
    open = SequenceRange.newBuilder().setFirst(sequence).setLast(sequence);
  }

  void failed(PublishAck failure) {
    acks.addFailed(failure);
  }

  boolean isEmpty() {
    return open == null && acks.getFailedCount() == 0;
  }

  /** What was gathered, and starts again empty. */
  PublishAcks take() {
    closeRange();
    PublishAcks taken = acks.build();
    acks = PublishAcks.newBuilder();
    return taken;
  }

  private void closeRange() {
    if (open != null) {
      acks.addPublished(open);
      open = null;
    }
  }
}
