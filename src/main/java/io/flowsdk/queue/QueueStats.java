package io.flowsdk.queue;

/**
 * What a {@link FlowQueue} holds at one moment, as {@link FlowQueue#stats()} counts it. An item that
 * expired counts until a receive finds and drops it.
 *
 * @param ready       visible items a receive may take now
 * @param delayed     items enqueued with a delay that has not passed, never delivered yet
 * @param inFlight    items delivered and not acknowledged: their visibility timeout (or a nack's delay) still running
 * @param deadLetters items in the queue's dead-letter queue ({@link QueueOptions#deadLetterQueueOf})
 * @param consumers   consumers of the queue on this node ({@link FlowQueue#addConsumer}); of a clustered queue, each
 *                    node counts its own (the admin API's {@code GET /api/queues} sums them)
 */
public record QueueStats(long ready, long delayed, long inFlight, long deadLetters, int consumers) {

  /** Items held: ready, delayed and in flight, as {@link FlowQueue#size()} counts them. */
  public long size() {
    return ready + delayed + inFlight;
  }
}
