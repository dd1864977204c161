package io.flowsdk.queue;

import io.flowsdk.queue.impl.ClusteredQueue;
import io.flowsdk.queue.impl.EmbeddedQueue;
import io.flowsdk.queue.impl.QueueEndpoint;
import io.flowsdk.storage.FlowStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.Service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named work queue with at-least-once delivery (reference {@code docs/queue.md}): an item is stored
 * before {@link #enqueue} completes, handed to one consumer at a time by {@link #receive}, and handed
 * out again when its visibility timeout runs out without an {@link #ack}. After
 * {@link QueueOptions#getMaxAttempts()} deliveries it moves to the dead-letter queue
 * {@code <name>.dlq} instead ({@link #deadLetters()}). Priorities 0..255, higher first, FIFO within a priority.
 *
 * <p>Failures: {@code OVERLOADED} when the queue is at capacity, {@code INVALID} for a bad argument,
 * {@code NO_ROUTE} for a receipt that is not the current delivery of an item, {@code INTERNAL}
 * for a storage failure.
 */
public interface FlowQueue {

  /** The queue {@code name} of a standalone node, kept in {@code store}; items stored before a restart are back. */
  static Future<FlowQueue> embedded(Vertx vertx, String name, FlowStore store, QueueOptions options) {
    return EmbeddedQueue.open(vertx, name, store, options);
  }

  /**
   * The {@code flowsdk.v1.Queue} gRPC service ({@code src/main/proto/flowsdk/v1/middleware.proto}) over
   * {@code queues}, by name, for {@code GrpcGateway.create(vertx, options, services)}. Names are looked
   * up in {@code queues} at each call (the gateway verticle passes the node's live
   * {@code NodeMiddleware.queues()}).
   */
  static Service grpcService(Vertx vertx, Map<String, FlowQueue> queues) {
    return QueueEndpoint.service(vertx, queues);
  }

  String name();

  /**
   * The queue {@code name} of a cluster: its items in the Hazelcast map {@code flowsdk.queue.<name>}
   * of the Vert.x cluster manager's instance, which must keep at least one synchronous backup, so
   * losing one member loses nothing acknowledged. Open it on every node that enqueues or consumes.
   * Fails with {@code INVALID} when {@code vertx} is not clustered with Hazelcast.
   */
  static Future<FlowQueue> clustered(Vertx vertx, String name, QueueOptions options) {
    return ClusteredQueue.open(vertx, name, options);
  }

  /** Stores {@code payload} at {@code priority} (0..255), visible after {@code delay}, never expiring; completes with its id. */
  default Future<String> enqueue(Buffer payload, int priority, Duration delay) {
    return enqueue(payload, priority, delay, Duration.ZERO);
  }

  /**
   * Stores {@code payload} at {@code priority} (0..255), visible after {@code delay}, dropped instead
   * of delivered once {@code ttl} from now has passed ({@link Duration#ZERO}: never); completes with its id.
   */
  Future<String> enqueue(Buffer payload, int priority, Duration delay, Duration ttl);

  /** The next visible item, now invisible to others for the visibility timeout, or empty. */
  Future<Optional<QueueItem>> receive();

  /**
   * Removes a received item, by the {@link QueueItem#receipt() receipt} of its delivery; fails with
   * {@code NO_ROUTE} when that delivery is no longer the item's current one (it was acknowledged,
   * or timed out and was delivered again).
   */
  Future<Void> ack(String receipt);

  /** Gives a received item back, visible again after {@code delay}; fails as {@link #ack} does. */
  Future<Void> nack(String receipt, Duration delay);

  /** Keeps a received item invisible for {@code more} from now; fails as {@link #ack} does. */
  Future<Void> extend(String receipt, Duration more);

  /**
   * The dead letters of this queue ({@link QueueOptions#deadLetterQueueOf}), opened with it: a queue one receives,
   * acks, nacks and extends like this one, each item with its {@link QueueItem#deliveries() delivery history} here.
   * It never moves an item on (no attempt limit: an item not acked comes back) and refuses enqueues with
   * {@code INVALID}. Reach dead letters through this, not by opening a queue of their name: such a queue would not
   * hear of the items buried later. Of a dead-letter queue: itself.
   */
  FlowQueue deadLetters();

  /**
   * Moves up to {@code max} (1..{@value #MAX_REDRIVE}) ready dead letters back into this queue, best first: each is
   * enqueued again (a new id, its attempts and history begin anew; its priority and expiry stay), then acknowledged
   * in the dead letters. Completes with how many moved: fewer than {@code max} when the dead letters have no more
   * ready, or this queue is full (the dead letter that did not fit stays; no item of this queue is dropped for it,
   * whatever the overflow policy). At least once: a crash between the
   * enqueue and the ack leaves the item in both. Fails with {@code INVALID} on a dead-letter queue or a bad
   * {@code max}, and with the error of a failed move (those before it stay moved).
   */
  Future<Integer> redrive(int max);

  /** The most dead letters one {@link #redrive} moves. */
  int MAX_REDRIVE = 10_000;

  /**
   * Up to {@code limit} (1..{@value #MAX_PEEK}) items as stored, in the order this node would deliver them (the
   * ready ones best first, then the others by when they become visible), the first {@code offset} left out, without
   * delivering them: for an operator to look, not for consumers. Pages of a queue that is being worked on are taken
   * at different times, so an item that moves meanwhile (delivered, given back, become visible) can be listed on two
   * pages or on none. A clustered queue lists them as this node's index knows them, each read from the map (one gone
   * meanwhile is left out). The offset costs a walk of that many entries of the index, not reads. Fails with
   * {@code INVALID} for a negative {@code offset} or a bad {@code limit}.
   */
  Future<List<StoredItem>> peek(int offset, int limit);

  /** The most items one {@link #peek} returns. */
  int MAX_PEEK = 1000;

  /** Items held: ready, delayed and in flight (not the dead letters). */
  Future<Integer> size();

  /**
   * How many items are ready, delayed, in flight and dead-lettered now. A clustered queue counts its
   * Hazelcast maps, so every node answers the same; this costs a pass over the item headers (not the
   * payloads) on every member.
   */
  Future<QueueStats> stats();

  /**
   * Counts a consumer of this queue on this node (a {@code $queue/<name>} subscription, a gRPC {@code Consume}
   * call, or code of one's own that receives in a loop) until the returned {@link Runnable} runs; running it again
   * does nothing. {@link QueueStats#consumers} and the gauge {@code flowsdk.queue.consumers} show the count. Costs
   * nothing but the count; a consumer that never leaves counts until the node stops.
   */
  Runnable addConsumer();

  /** Stops the queue's listeners here; the items stay. */
  Future<Void> close();
}
