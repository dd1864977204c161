package io.flowsdk.bench;

import com.google.protobuf.ByteString;
import io.flowsdk.grpc.GrpcGateway;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.v1.FlowGrpcClient;
import io.flowsdk.grpc.v1.IncomingRequest;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.RequestRequest;
import io.flowsdk.grpc.v1.ServeRegistration;
import io.flowsdk.grpc.v1.ServeReply;
import io.flowsdk.grpc.v1.ServeRequest;
import io.flowsdk.grpc.v1.SubscribeRequest;
import io.flowsdk.grpc.v1.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.bench.FlowBusScenario.await;

/**
 * The gRPC gateway's overhead: PublishStream to Subscribe through the gateway beside the raw Vert.x
 * event bus publish/consume, and Request round trips answered by a gRPC Serve client beside raw
 * event-bus request/reply, all on one node in this JVM (gRPC over loopback, Vert.x gRPC client).
 */
public final class GrpcGatewayScenario implements Scenario {

  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int window = Math.min(config.window, 30_000);
      GrpcGateway gateway = await(GrpcGateway.create(vertx, new GrpcGatewayOptions().setPort(0)
        .setPublishWindow(2 * window).setStreamBufferSize(4 * window).setMaxPendingRequests(2 * window)
        .setMaxConcurrentStreams(2 * window + 10)));
      FlowGrpcClient client = FlowGrpcClient.create(GrpcClient.client(vertx),
        SocketAddress.inetSocketAddress(gateway.actualPort(), "127.0.0.1"));
      Context sender = ((VertxInternal) vertx).createEventLoopContext();
      Context receiver = ((VertxInternal) vertx).createEventLoopContext();
      List<BenchResult> rows = new ArrayList<>();
      String stream = "gRPC stream, QoS 0";
      String request = "request/response round trip";
      rows.add(measure(config, rawPublish(vertx, receiver), sender, stream, "Vert.x event bus publish/consume", true, window));
      rows.add(measure(config, grpcStream(client, sender, receiver), sender, stream, "gRPC PublishStream -> Subscribe", false, window));
      rows.add(measure(config, rawRequest(vertx, receiver), sender, request, "Vert.x event bus request/reply", true, window));
      rows.add(measure(config, grpcRequest(client, receiver), sender, request, "gRPC Request -> gRPC Serve", false, window));
      return rows;
    } finally {
      await(vertx.close());
    }
  }

  private static BenchResult measure(BenchConfig config, WindowedPipe pipe, Context sender, String group, String subject,
                                     boolean baseline, int window) throws Exception {
    await(pipe.run(sender, group, subject, baseline, config.warmup, window, config.payloadBytes));
    BenchResult r = await(pipe.run(sender, group, subject, baseline, config.messages, window, config.payloadBytes));
    System.out.printf("  %-28s %-36s %,12.0f msg/s  p50 %8.0f µs  p99 %8.0f µs%n", group, subject, r.throughput(), r.p50Micros, r.p99Micros);
    return r;
  }

  private static WindowedPipe rawPublish(Vertx vertx, Context receiver) throws Exception {
    WindowedPipe pipe = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        vertx.eventBus().publish("bench.grpc.raw", payload);
        return Future.succeededFuture();
      }
    };
    Promise<Void> registered = Promise.promise();
    receiver.runOnContext(v -> vertx.eventBus().<Buffer>consumer("bench.grpc.raw", m -> pipe.receivedFromPath(m.body()))
      .completion().onComplete(registered));
    await(registered.future());
    return pipe;
  }

  private static WindowedPipe rawRequest(Vertx vertx, Context receiver) throws Exception {
    WindowedPipe pipe = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return vertx.eventBus().<Buffer>request("bench.grpc.rawrr", payload).onSuccess(reply -> receivedFromPath(reply.body()));
      }
    };
    Promise<Void> registered = Promise.promise();
    receiver.runOnContext(v -> vertx.eventBus().<Buffer>consumer("bench.grpc.rawrr", m -> m.reply(m.body()))
      .completion().onComplete(registered));
    await(registered.future());
    return pipe;
  }

  /** A PublishStream on the sender context, a Subscribe on the receiver context. */
  private static WindowedPipe grpcStream(FlowGrpcClient client, Context sender, Context receiver) throws Exception {
    Promise<WindowedPipe> ready = Promise.promise();
    receiver.runOnContext(v -> {
      WindowedPipe[] pipe = new WindowedPipe[1];
      client.subscribe(SubscribeRequest.newBuilder().addSubscriptions(Subscription.newBuilder().setFilter("bench/grpc")).build())
        .onFailure(ready::tryFail)
        .onSuccess(deliveries -> deliveries.handler(r -> {
          if (r.hasSubscribed()) {
            sender.runOnContext(s -> openPublishStream(client, pipe, ready));
          } else {
            pipe[0].receivedFromPath(Buffer.buffer(r.getDelivery().getMessage().getPayload().toByteArray()));
          }
        }));
    });
    return await(ready.future());
  }

  private static void openPublishStream(FlowGrpcClient client, WindowedPipe[] pipe, Promise<WindowedPipe> ready) {
    client.publishStream((requests, err) -> {
      if (err != null) {
        ready.tryFail(err);
        return;
      }
      long[] sequence = {0};
      pipe[0] = new WindowedPipe() {
        @Override
        protected Future<?> send(Buffer payload) {
          return requests.write(PublishStreamRequest.newBuilder().setSequence(++sequence[0])
            .setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic("bench/grpc")
              .setPayload(ByteString.copyFrom(payload.getBytes()))).build());
        }
      };
      ready.tryComplete(pipe[0]);
    }).onSuccess(acks -> acks.handler(a -> { }));
  }

  /** Unary Request calls answered by a Serve stream that echoes each payload. */
  private static WindowedPipe grpcRequest(FlowGrpcClient client, Context receiver) throws Exception {
    Promise<Void> registered = Promise.promise();
    receiver.runOnContext(v -> {
      WriteStream<ServeRequest>[] replies = new WriteStream[1];
      client.serve((out, err) -> {
        if (err != null) {
          registered.tryFail(err);
          return;
        }
        replies[0] = out;
        out.write(ServeRequest.newBuilder().setRegister(ServeRegistration.newBuilder().setAddress("bench/echo")).build());
      }).onFailure(registered::tryFail).onSuccess(incoming -> incoming.handler(r -> {
        if (r.hasRegistered()) {
          registered.tryComplete();
        } else if (r.hasRequest()) {
          IncomingRequest req = r.getRequest();
          replies[0].write(ServeRequest.newBuilder().setReply(ServeReply.newBuilder().setCorrelationId(req.getCorrelationId())
            .setResponse(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setPayload(req.getMessage().getPayload()))).build());
        }
      }));
    });
    await(registered.future());
    return new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return client.request(RequestRequest.newBuilder().setAddress("bench/echo")
            .setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder().setPayload(ByteString.copyFrom(payload.getBytes()))).build())
          .onSuccess(response -> receivedFromPath(Buffer.buffer(response.getMessage().getPayload().toByteArray())));
      }
    };
  }

  /** For a quick look outside the runner: {@code -Dbench.messages=20000}. */
  public static void main(String[] args) throws Exception {
    for (BenchResult r : new GrpcGatewayScenario().run(new BenchConfig())) {
      System.out.println(r.group + " | " + r.subject + " | " + Math.round(r.throughput()) + " msg/s");
    }
    System.exit(0);
  }
}
