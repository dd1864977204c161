package io.flowsdk.bench;

import com.google.protobuf.ByteString;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.grpc.GrpcGateway;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.v1.FlowGrpcClient;
import io.flowsdk.grpc.v1.IncomingRequest;
import io.flowsdk.grpc.v1.PublishStreamRequest;
import io.flowsdk.grpc.v1.QoS;
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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static io.flowsdk.bench.FlowBusScenario.await;

/**
 * The gRPC gateway beside gRPC itself, in one run on one node in this JVM (loopback), at each payload
 * size of {@code -Dbench.grpc.payloads} (default 64,1024):
 * <ul>
 *   <li>two hops, stream in and stream out: {@code PublishStream} to the gateway, the flow bus,
 *   {@code Subscribe} out, beside a grpc-java server relaying a grpc-java client's {@code PublishStream}
 *   straight to another's {@code Subscribe} (the peer);</li>
 *   <li>server streaming, one hop: a bus publish to a gateway {@code Subscribe}, beside grpc-java (the
 *   peer) and a plain vertx-grpc server streaming what the bench hands them, no bus;</li>
 *   <li>unary round trips: {@code Request} answered by a gRPC {@code Serve} client through the bus,
 *   beside grpc-java unary calls to a grpc-java server that answers at once (the peer) and Vert.x client
 *   calls to a plain vertx-grpc server that answers at once (the stack's own floor);</li>
 *   <li>the single-message two-hop rows again at a fixed {@code -Dbench.grpc.rate} (default 10,000 msg/s)
 *   for {@code -Dbench.grpc.pacedSeconds} (default 5): the latency of a path that is not kept full. Not
 *   the unary pair: a paced run does not bound the calls in flight, and on 2 cores neither grpc-java nor
 *   the gateway keeps 10,000 round trips a second, so calls piled up until the gateway refused them.</li>
 * </ul>
 * FlowSDK's own rows use the Vert.x gRPC client, the peers grpc-java's or vertx-grpc's. To profile one
 * row alone, {@code -Dbench.grpc.subject=<part of its scenario or subject>} skips the others.
 */
public final class GrpcGatewayScenario implements Scenario {

  private static final int MAX_WARMUPS = 8;
  private static final String PAYLOADS = System.getProperty("bench.grpc.payloads", "64,1024");
  /** Messages per batch where a row batches (Subscribe max_batch, PublishStream messages per request). */
  private static final int BATCH = 256;
  private static final String SUBJECT = System.getProperty("bench.grpc.subject", "");
  /** The fixed rate of the paced rows ({@code -Dbench.grpc.rate}) and how long they run ({@code -Dbench.grpc.pacedSeconds}). */
  private static final int RATE = Integer.getInteger("bench.grpc.rate", 10_000);
  private static final int PACED_SECONDS = Integer.getInteger("bench.grpc.pacedSeconds", 5);
  /** grpc-java's {@code NettyChannelBuilder.DEFAULT_FLOW_CONTROL_WINDOW}. */
  private static final int GRPC_JAVA_WINDOW = 1 << 20;

  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<AutoCloseable> peers = new ArrayList<>();
    try {
      int window = Math.min(config.window, 30_000);
      GrpcGateway gateway = await(GrpcGateway.create(vertx, new GrpcGatewayOptions().setPort(0)
        .setPublishWindow(2 * window).setStreamBufferSize(4 * window).setMaxPendingRequests(2 * window)
        .setMaxConcurrentStreams(2 * window + 10)));
      FlowBus bus = await(FlowBus.create(vertx));
      FlowGrpcClient client = FlowGrpcClient.create(GrpcClient.client(vertx, clientOptions()),
        SocketAddress.inetSocketAddress(gateway.actualPort(), "127.0.0.1"));
      Context sender = ((VertxInternal) vertx).createEventLoopContext();
      Context receiver = ((VertxInternal) vertx).createEventLoopContext();
      GrpcJavaPeer relayPeer = new GrpcJavaPeer();
      GrpcJavaPeer streamingPeer = new GrpcJavaPeer();
      peers.add(relayPeer);
      peers.add(streamingPeer);
      WindowedPipe relay = relayPeer.relay();
      WindowedPipe grpcJavaStreaming = streamingPeer.serverStreaming();
      WindowedPipe grpcJavaUnary = relayPeer.unary();
      VertxGrpcPeer.Streaming vertxStreaming = VertxGrpcPeer.serverStreaming(vertx, receiver);
      WindowedPipe vertxUnary = VertxGrpcPeer.unary(vertx, clientOptions());
      WindowedPipe stream0 = grpcStream(client, sender, receiver, "bench/grpc/q0", QoS.QOS_AT_MOST_ONCE, 1);
      WindowedPipe stream1 = grpcStream(client, sender, receiver, "bench/grpc/q1", QoS.QOS_AT_LEAST_ONCE, 1);
      WindowedPipe batched0 = grpcStream(client, sender, receiver, "bench/grpc/b0", QoS.QOS_AT_MOST_ONCE, BATCH);
      WindowedPipe batched1 = grpcStream(client, sender, receiver, "bench/grpc/b1", QoS.QOS_AT_LEAST_ONCE, BATCH);
      WindowedPipe busToSubscribe = busToSubscribe(bus, client, receiver, 1);
      WindowedPipe busToBatches = busToSubscribe(bus, client, receiver, BATCH);
      WindowedPipe request = grpcRequest(client, receiver);
      List<BenchResult> rows = new ArrayList<>();
      for (String size : PAYLOADS.split(",")) {
        int payload = Integer.parseInt(size.trim());
        String twoHops = "gRPC stream in -> stream out, " + payload + " B";
        String oneHop = "gRPC server streaming, " + payload + " B";
        String unary = "gRPC unary round trip, " + payload + " B";
        rows.add(measure(config, relay, sender, twoHops, "grpc-java PublishStream -> Subscribe relay, no bus", true, window, payload));
        rows.add(measure(config, stream0, sender, twoHops, "FlowSDK PublishStream -> bus -> Subscribe, QoS 0", false, window, payload));
        rows.add(measure(config, stream1, sender, twoHops, "FlowSDK PublishStream -> bus -> Subscribe, QoS 1", false, window, payload));
        rows.add(measure(config, batched0, sender, twoHops, "FlowSDK, batched both ways, QoS 0", false, window, payload));
        rows.add(measure(config, batched1, sender, twoHops, "FlowSDK, batched both ways, QoS 1", false, window, payload));
        rows.add(measure(config, grpcJavaStreaming, sender, oneHop, "grpc-java server streaming, no bus", true, window, payload));
        rows.add(measure(config, vertxStreaming.pipe(), vertxStreaming.sender(), oneHop, "vertx-grpc 5.0.7 server streaming, no bus",
          false, window, payload));
        rows.add(measure(config, busToSubscribe, sender, oneHop, "FlowSDK bus publish -> Subscribe, QoS 0", false, window, payload));
        rows.add(measure(config, busToBatches, sender, oneHop, "FlowSDK bus publish -> Subscribe, QoS 0, batched", false, window, payload));
        rows.add(measure(config, grpcJavaUnary, sender, unary, "grpc-java unary Request, answered at once", true, window, payload));
        rows.add(measure(config, vertxUnary, sender, unary, "vertx-grpc 5.0.7 unary Request, answered at once", false, window, payload));
        rows.add(measure(config, request, sender, unary, "FlowSDK Request -> bus -> Serve", false, window, payload));
        String pacedStreams = "gRPC stream in -> stream out at " + String.format(Locale.ROOT, "%,d", RATE) + " msg/s, " + payload + " B";
        rows.add(paced(relay, sender, pacedStreams, "grpc-java PublishStream -> Subscribe relay, no bus", true, payload));
        rows.add(paced(stream0, sender, pacedStreams, "FlowSDK PublishStream -> bus -> Subscribe, QoS 0", false, payload));
        rows.add(paced(stream1, sender, pacedStreams, "FlowSDK PublishStream -> bus -> Subscribe, QoS 1", false, payload));
      }
      rows.removeIf(Objects::isNull);
      return rows;
    } finally {
      for (AutoCloseable peer : peers) {
        peer.close();
      }
      await(vertx.close());
    }
  }

  /**
   * The FlowSDK rows' Vert.x client with grpc-java's connection window (1 MiB, grpc-java's default for its
   * channels) instead of HTTP/2's 64 KiB, so both clients may have as much unread from their server.
   */
  private static HttpClientOptions clientOptions() {
    return new HttpClientOptions().setHttp2ClearTextUpgrade(false).setHttp2ConnectionWindowSize(GRPC_JAVA_WINDOW);
  }

  private static BenchResult measure(BenchConfig config, WindowedPipe pipe, Context sender, String group, String subject,
                                     boolean baseline, int window, int payload) throws Exception {
    if (!selected(group, subject)) {
      return null;
    }
    warmUp(config, pipe, sender, group, subject, baseline, window, payload);
    BenchResult r = await(pipe.run(sender, group, subject, baseline, config.messages, window, payload));
    return printed(r);
  }

  /**
   * {@link #RATE} messages a second for {@link #PACED_SECONDS} seconds, after one second at that rate: the
   * latency of a path that is not kept full, so it does not include queueing behind a window.
   */
  private static BenchResult paced(WindowedPipe pipe, Context sender, String group, String subject, boolean baseline,
                                   int payload) throws Exception {
    if (!selected(group, subject)) {
      return null;
    }
    await(pipe.runPaced(sender, group, subject, baseline, RATE, RATE, payload));
    BenchResult r = await(pipe.runPaced(sender, group, subject, baseline, RATE * PACED_SECONDS, RATE, payload));
    return printed(r);
  }

  private static BenchResult printed(BenchResult r) {
    System.out.printf("  %-36s %-52s %,12.0f msg/s  p50 %8.0f µs  p99 %8.0f µs%n", r.group, r.subject, r.throughput(), r.p50Micros,
      r.p99Micros);
    return r;
  }

  private static boolean selected(String group, String subject) {
    return (group + " " + subject).contains(SUBJECT);
  }

  /**
   * Warm-up runs of {@code config.warmup} messages until two in a row agree within 10% (at most
   * {@value #MAX_WARMUPS}): the gRPC path runs far more code (HTTP/2, HPACK, protobuf) than the raw event
   * bus, and one fixed warm-up left it measured while the JIT was still compiling it (12k msg/s after
   * 20,000 messages, 58k after 100,000 on the same machine). The peer gets the same treatment.
   */
  private static void warmUp(BenchConfig config, WindowedPipe pipe, Context sender, String group, String subject,
                             boolean baseline, int window, int payload) throws Exception {
    double previous = 0;
    for (int i = 0; i < MAX_WARMUPS; i++) {
      double rate = await(pipe.run(sender, group, subject, baseline, config.warmup, window, payload)).throughput();
      if (previous > 0 && Math.abs(rate - previous) <= 0.1 * previous) {
        return;
      }
      previous = rate;
    }
  }

  /**
   * A PublishStream on the sender context, a Subscribe on the receiver context, both at {@code qos}; with
   * {@code batch} above 1 both batch: the publisher sends what the pipe hands it in one event-loop turn as
   * requests of up to {@code batch} messages, the subscriber asks for batches of that size.
   */
  private static WindowedPipe grpcStream(FlowGrpcClient client, Context sender, Context receiver, String topic, QoS qos,
                                         int batch) throws Exception {
    Promise<WindowedPipe> ready = Promise.promise();
    WindowedPipe[] pipe = new WindowedPipe[1];
    subscribe(client, receiver, topic, qos, batch, pipe).onFailure(ready::tryFail)
      .onSuccess(v -> sender.runOnContext(s -> openPublishStream(client, sender, topic, qos, batch, pipe, ready)));
    return await(ready.future());
  }

  /** A Subscribe to {@code topic} on {@code receiver} that hands every delivery to {@code pipe[0]}; completes when subscribed. */
  private static Future<Void> subscribe(FlowGrpcClient client, Context receiver, String topic, QoS qos, int batch,
                                        WindowedPipe[] pipe) {
    Promise<Void> subscribed = Promise.promise();
    receiver.runOnContext(v -> client.subscribe(SubscribeRequest.newBuilder().setMaxBatch(batch)
        .addSubscriptions(Subscription.newBuilder().setFilter(topic).setQos(qos)).build())
      .onFailure(subscribed::tryFail)
      .onSuccess(deliveries -> deliveries.handler(r -> {
        if (r.hasSubscribed()) {
          subscribed.tryComplete();
        } else if (r.hasDeliveries()) {
          r.getDeliveries().getDeliveriesList().forEach(d -> pipe[0].receivedFromPath(payloadOf(d.getMessage())));
        } else {
          pipe[0].receivedFromPath(payloadOf(r.getDelivery().getMessage()));
        }
      })));
    return subscribed.future();
  }

  private static Buffer payloadOf(io.flowsdk.grpc.v1.FlowMessage message) {
    return Buffer.buffer(message.getPayload().toByteArray());
  }

  private static void openPublishStream(FlowGrpcClient client, Context sender, String topic, QoS qos, int batch,
                                        WindowedPipe[] pipe, Promise<WindowedPipe> ready) {
    client.publishStream((requests, err) -> {
      if (err != null) {
        ready.tryFail(err);
        return;
      }
      pipe[0] = batch == 1 ? singles(requests, topic, qos) : batches(requests, sender, topic, qos, batch);
      ready.tryComplete(pipe[0]);
    }).onSuccess(acks -> acks.handler(a -> { }));
  }

  private static io.flowsdk.grpc.v1.FlowMessage message(String topic, QoS qos, Buffer payload) {
    return io.flowsdk.grpc.v1.FlowMessage.newBuilder().setTopic(topic).setQos(qos)
      .setPayload(ByteString.copyFrom(payload.getBytes())).build();
  }

  private static WindowedPipe singles(WriteStream<PublishStreamRequest> requests, String topic, QoS qos) {
    long[] sequence = {0};
    return new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return requests.write(PublishStreamRequest.newBuilder().setSequence(++sequence[0]).setMessage(message(topic, qos, payload)).build());
      }
    };
  }

  /** Gathers what is sent in one turn of the sender context into requests of up to {@code batch} messages. */
  private static WindowedPipe batches(WriteStream<PublishStreamRequest> requests, Context sender, String topic, QoS qos, int batch) {
    return new WindowedPipe() {
      long sequence;
      PublishStreamRequest.Builder pending;

      @Override
      protected Future<?> send(Buffer payload) {
        if (pending == null) {
          pending = PublishStreamRequest.newBuilder().setSequence(sequence + 1);
          sender.runOnContext(v -> flush());
        }
        pending.addMessages(message(topic, qos, payload));
        sequence++;
        if (pending.getMessagesCount() == batch) {
          flush();
        }
        return Future.succeededFuture();
      }

      private void flush() {
        if (pending != null) {
          requests.write(pending.build());
          pending = null;
        }
      }
    };
  }

  /** QoS 0 bus publishes on the sender context, read by a gateway Subscribe on the receiver context. */
  private static WindowedPipe busToSubscribe(FlowBus bus, FlowGrpcClient client, Context receiver, int batch) throws Exception {
    String topic = "bench/grpc/bus" + batch;
    WindowedPipe[] pipe = {new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return bus.publish(FlowMessage.builder(topic).payload(payload).build());
      }
    }};
    await(subscribe(client, receiver, topic, QoS.QOS_AT_MOST_ONCE, batch, pipe));
    return pipe[0];
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
