package io.flowsdk.bench;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Flow bus publish to subscribe, beside the raw Vert.x event bus doing the same (publish/consume
 * for QoS 0, request/reply for acknowledged delivery), on one node and across two clustered nodes
 * in this JVM.
 */
public final class FlowBusScenario implements Scenario {

  @Override
  public String name() {
    return "flowbus";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    List<BenchResult> results = new ArrayList<>();
    Vertx local = Vertx.vertx();
    try {
      results.addAll(measure(config, "local", local, local));
    } finally {
      await(local.close());
    }
    TestCluster cluster = new TestCluster();
    Vertx a = await(cluster.startNode());
    Vertx b = await(cluster.startNode());
    try {
      results.addAll(measure(config, "2 nodes", a, b));
    } finally {
      await(a.close());
      await(b.close());
    }
    return results;
  }

  private List<BenchResult> measure(BenchConfig config, String where, Vertx sender, Vertx receiver) throws Exception {
    FlowBus senderBus = await(FlowBus.create(sender));
    FlowBus receiverBus = await(FlowBus.create(receiver));
    Context senderContext = ((VertxInternal) sender).createEventLoopContext();
    Context receiverContext = ((VertxInternal) receiver).createEventLoopContext();
    String qos0 = where + ", QoS 0 (median of " + RUNS + ")";
    String acked = where + ", acknowledged (median of " + RUNS + ")";
    List<BenchResult> rows = new ArrayList<>();

    WindowedPipe rawPublish = rawEventBus(sender, receiver, receiverContext, "bench.raw.publish", false);
    WindowedPipe rawRequest = rawEventBus(sender, receiver, receiverContext, "bench.raw.request", true);
    WindowedPipe busQos0 = flowBus(senderBus, receiverBus, receiverContext, "bench/qos0", QoS.AT_MOST_ONCE);
    WindowedPipe busQos1 = flowBus(senderBus, receiverBus, receiverContext, "bench/qos1", QoS.AT_LEAST_ONCE);
    awaitRoute(senderBus, "bench/qos0");
    awaitRoute(senderBus, "bench/qos1");

    rows.add(measure(config, rawPublish, senderContext, qos0, "Vert.x event bus publish/consume", true));
    rows.add(measure(config, busQos0, senderContext, qos0, "FlowSDK flow bus QoS 0", false));
    rows.add(measure(config, rawRequest, senderContext, acked, "Vert.x event bus request/reply", true));
    rows.add(measure(config, busQos1, senderContext, acked, "FlowSDK flow bus QoS 1", false));
    return rows;
  }

  /** Runs of each measurement; the median by throughput is kept (the flow bus and its peer share 2 cores). */
  private static final int RUNS = 3;

  private static BenchResult measure(BenchConfig config, WindowedPipe pipe, Context senderContext, String group,
                                     String subject, boolean baseline) throws Exception {
    await(pipe.run(senderContext, group, subject, baseline, config.warmup, config.window, config.payloadBytes));
    List<BenchResult> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runs.add(await(pipe.run(senderContext, group, subject, baseline, config.messages, config.window, config.payloadBytes)));
    }
    runs.sort(Comparator.comparingDouble(BenchResult::throughput));
    BenchResult r = runs.get(RUNS / 2);
    System.out.printf("  %-28s %-36s %,12.0f msg/s  p50 %8.0f µs  p99 %8.0f µs (median of %d)%n", group, subject,
      r.throughput(), r.p50Micros, r.p99Micros, RUNS);
    return r;
  }

  private static WindowedPipe rawEventBus(Vertx sender, Vertx receiver, Context receiverContext, String address,
                                          boolean acknowledged) throws Exception {
    WindowedPipe pipe = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        if (acknowledged) {
          return sender.eventBus().request(address, payload);
        }
        sender.eventBus().publish(address, payload);
        return Future.succeededFuture();
      }
    };
    Promise<Void> registered = Promise.promise();
    receiverContext.runOnContext(v -> receiver.eventBus().<Buffer>consumer(address, m -> {
      pipe.receivedFromPath(m.body());
      if (acknowledged) {
        m.reply(null);
      }
    }).completion().onComplete(registered));
    await(registered.future());
    return pipe;
  }

  private static WindowedPipe flowBus(FlowBus senderBus, FlowBus receiverBus, Context receiverContext, String topic,
                                      QoS qos) throws Exception {
    WindowedPipe pipe = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return senderBus.publish(FlowMessage.builder(topic).payload(payload).qos(qos).build());
      }
    };
    Promise<Void> subscribed = Promise.promise();
    receiverContext.runOnContext(v -> receiverBus.subscribe(topic, m -> pipe.receivedFromPath(m.payload()))
      .<Void>mapEmpty().onComplete(subscribed));
    await(subscribed.future());
    return pipe;
  }

  private static void awaitRoute(FlowBus bus, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (await(bus.routeOf(topic)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("route of " + topic + " never appeared");
      }
      Thread.onSpinWait();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
