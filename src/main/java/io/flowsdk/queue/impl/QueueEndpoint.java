package io.flowsdk.queue.impl;

import com.google.protobuf.ByteString;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.GrpcFailures;
import io.flowsdk.grpc.v1.ConsumeRequest;
import io.flowsdk.grpc.v1.ConsumeResponse;
import io.flowsdk.grpc.v1.EnqueueResponse;
import io.flowsdk.grpc.v1.QueueDelivery;
import io.flowsdk.grpc.v1.QueuePastDelivery;
import io.flowsdk.queue.PastDelivery;
import io.flowsdk.grpc.v1.QueueGrpcService;
import io.flowsdk.grpc.v1.QueueStatsResponse;
import io.flowsdk.grpc.v1.Settled;
import io.flowsdk.middleware.GrpcCalls;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueItem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The {@code flowsdk.v1.Queue} gRPC service over the queues of one node. */
public final class QueueEndpoint {

  static final int MAX_CREDIT = 10_000;
  /** How long an idle Consume stream waits before it asks its queue again. */
  static final long IDLE_POLL_MILLIS = 50;

  private QueueEndpoint() {
  }

  /** The service over {@code served}, looked up at each call (a map that changes serves what it holds then). */
  public static Service service(Vertx vertx, Map<String, FlowQueue> served) {
    return Service.service(QueueGrpcService.SERVICE_NAME, QueueGrpcService.SERVICE_DESCRIPTOR)
      .bind(QueueGrpcService.Enqueue, request -> GrpcCalls.unary(request, m -> queue(served, m.getQueue())
        .compose(q -> q.enqueue(Buffer.buffer(m.getPayload().toByteArray()), m.getPriority(), Duration.ofMillis(m.getDelayMillis()),
          Duration.ofMillis(m.getTtlMillis())))
        .map(id -> EnqueueResponse.newBuilder().setId(id).build())))
      .bind(QueueGrpcService.Stats, request -> GrpcCalls.unary(request, m -> queue(served, m.getQueue())
        .compose(FlowQueue::stats).map(stats -> QueueStatsResponse.newBuilder().setSize(stats.size()).setReady(stats.ready())
          .setDelayed(stats.delayed()).setInFlight(stats.inFlight()).setDeadLetters(stats.deadLetters())
          .setConsumers(stats.consumers()).build())))
      .bind(QueueGrpcService.Consume, request -> new ConsumeStream(vertx, served, request).start())
      .build();
  }

  static Future<FlowQueue> queue(Map<String, FlowQueue> queues, String name) {
    FlowQueue q = queues.get(name);
    return q != null ? Future.succeededFuture(q)
      : Future.failedFuture(new FlowException(FlowError.INVALID, "this node serves no queue '" + name + "'"));
  }

  /**
   * One Consume call: delivers while it has credit, answers each ack, nack and extend with a
   * Settled, and gives back what is unsettled when the call ends.
   */
  private static final class ConsumeStream {
    private final Vertx vertx;
    private final Map<String, FlowQueue> queues;
    private final GrpcServerRequest<ConsumeRequest, ConsumeResponse> request;
    private final GrpcServerResponse<ConsumeRequest, ConsumeResponse> response;
    private final Set<String> unsettled = new HashSet<>();
    private FlowQueue queue;
    /** Ends this call's count in {@link FlowQueue#addConsumer}, once its queue is known. */
    private Runnable leave = () -> { };
    private long credit;
    private boolean receiving;
    private boolean done;

    ConsumeStream(Vertx vertx, Map<String, FlowQueue> queues, GrpcServerRequest<ConsumeRequest, ConsumeResponse> request) {
      this.vertx = vertx;
      this.queues = queues;
      this.request = request;
      this.response = request.response();
    }

    void start() {
      request.handler(this::onMessage);
      request.endHandler(v -> end(null));
      request.exceptionHandler(e -> end(null));
      response.exceptionHandler(e -> end(null));
    }

    private void onMessage(ConsumeRequest m) {
      if (done) {
        return;
      }
      if (queue == null && m.getKindCase() != ConsumeRequest.KindCase.START) {
        end(new FlowException(FlowError.INVALID, "a Consume call starts with a ConsumeStart, not " + m.getKindCase()));
        return;
      }
      switch (m.getKindCase()) {
        case START:
          if (queue != null) {
            end(new FlowException(FlowError.INVALID, "a Consume call has one ConsumeStart"));
            return;
          }
          queue(queues, m.getStart().getQueue()).onComplete(ar -> {
            if (ar.failed()) {
              end(ar.cause());
            } else {
              queue = ar.result();
              leave = queue.addConsumer();
              addCredit(m.getStart().getCredit());
            }
          });
          break;
        case CREDIT:
          addCredit(m.getCredit().getCredit());
          break;
        case ACK:
          settle(m.getAck().getReceipt(), true, queue.ack(m.getAck().getReceipt()));
          break;
        case NACK:
          settle(m.getNack().getReceipt(), true, queue.nack(m.getNack().getReceipt(), Duration.ofMillis(m.getNack().getDelayMillis())));
          break;
        case EXTEND:
          settle(m.getExtend().getReceipt(), false, queue.extend(m.getExtend().getReceipt(), Duration.ofMillis(m.getExtend().getMoreMillis())));
          break;
        default:
          end(new FlowException(FlowError.INVALID, "a ConsumeRequest carries one of start, credit, ack, nack, extend"));
      }
    }

    private void addCredit(long more) {
      if (more < 1 || credit + more > MAX_CREDIT) {
        end(new FlowException(FlowError.INVALID, "Consume credit must be 1.." + MAX_CREDIT + " in all, not " + (credit + more)));
        return;
      }
      credit += more;
      pump();
    }

    /** Receives while there is credit; one receive at a time. */
    private void pump() {
      if (done || receiving || credit == 0) {
        return;
      }
      receiving = true;
      queue.receive().onComplete(ar -> {
        receiving = false;
        if (done) {
          ar.result().ifPresent(item -> queue.nack(item.receipt(), Duration.ZERO));
          return;
        }
        if (ar.failed()) {
          end(ar.cause());
        } else if (ar.result().isEmpty()) {
          vertx.setTimer(IDLE_POLL_MILLIS, t -> pump());
        } else {
          deliver(ar.result().get());
          pump();
        }
      });
    }

    private void deliver(QueueItem item) {
      credit--;
      unsettled.add(item.receipt());
      response.write(ConsumeResponse.newBuilder().setDelivery(QueueDelivery.newBuilder()
        .setId(item.id()).setPayload(ByteString.copyFrom(item.payload().getBytes())).setPriority(item.priority())
        .setAttempt(item.attempt()).setReceipt(item.receipt()).setInvisibleUntil(item.invisibleUntil())
        .addAllDeliveries(item.deliveries().stream().map(QueueEndpoint::pastDelivery).toList())).build());
    }

    /** Answers a settle; an ack or nack that ended the delivery returns its credit. */
    private void settle(String receipt, boolean ends, Future<Void> result) {
      result.onComplete(ar -> {
        if (done) {
          return;
        }
        Settled.Builder settled = Settled.newBuilder().setReceipt(receipt).setOk(ar.succeeded());
        if (ar.failed()) {
          FlowException e = FlowException.from(ar.cause());
          settled.setError(e.error().name()).setMessage(String.valueOf(e.getMessage()));
        } else if (ends && unsettled.remove(receipt)) {
          credit++;
        }
        response.write(ConsumeResponse.newBuilder().setSettled(settled).build());
        pump();
      });
    }

    /** Ends the call (with the status of {@code failure}, or OK) and gives back what is unsettled. */
    private void end(Throwable failure) {
      if (done) {
        return;
      }
      done = true;
      leave.run();
      for (String receipt : unsettled) {
        queue.nack(receipt, Duration.ZERO);
      }
      unsettled.clear();
      if (failure != null) {
        GrpcFailures.fail(response, failure);
      } else {
        try {
          response.end();
        } catch (IllegalStateException alreadyEnded) {
          // reset by the client: nobody to answer
        }
      }
    }
  }

  private static QueuePastDelivery pastDelivery(PastDelivery d) {
    return QueuePastDelivery.newBuilder().setDeliveredAt(d.deliveredAt()).setEndedAt(d.endedAt())
      .setEnding(d.ending() == PastDelivery.Ending.NACKED ? QueuePastDelivery.Ending.NACKED : QueuePastDelivery.Ending.TIMED_OUT).build();
  }
}
