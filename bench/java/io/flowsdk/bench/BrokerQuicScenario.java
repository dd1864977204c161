package io.flowsdk.bench;

import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttTransport;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.TimeoutPreset;
import io.flowsdk.testing.TestPki;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * MQTT over QUIC beside MQTT over TCP (issue 15): our MqttClient publishing to our MqttClient through
 * our broker (in a process of its own, one TCP and one QUIC listener), the same clients, broker and
 * run, only the transport differs; QoS 0 and 1, up to {@code window} messages in flight. TCP is each
 * group's baseline. Each transport runs twice per QoS in opposite orders and its better run is kept.
 */
final class BrokerQuicScenario implements Scenario {

  @Override
  public String name() {
    return "broker-quic";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    TestPki pki = TestPki.create(Files.createTempDirectory("bench-quic-pki"));
    List<MqttListenerOptions> listeners = List.of(new MqttListenerOptions().setPort(0),
      new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.QUIC).setPort(0)
        .setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString()));
    Vertx vertx = Vertx.vertx();
    List<BenchResult> results = new ArrayList<>();
    try (BrokerUnderTest broker = BrokerUnderTest.ours(BrokerScenario.OURS, null, BrokerScenario.ourOptions(config, listeners))) {
      MqttClientOptions tcp = base(config).setPort(broker.ports.get(0));
      MqttClientOptions quic = base(config).setPort(broker.ports.get(1)).setTransport(MqttTransport.QUIC)
        .setCaCertPath(pki.caCert().toString());
      for (QoS qos : List.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE)) {
        String group = "our MqttClient → our broker → MqttClient, QoS " + qos.value();
        BenchResult[] best = new BenchResult[2];
        for (int i : new int[] {0, 1, 1, 0}) {
          BenchResult r = measure(vertx, broker, config, group, i == 0 ? "TCP" : "QUIC", i == 0 ? tcp : quic, qos, best[i] == null);
          if (best[i] == null || r.throughput() > best[i].throughput()) {
            best[i] = r;
          }
        }
        results.add(best[0]);
        results.add(best[1]);
      }
      return results;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static MqttClientOptions base(BenchConfig config) {
    return new MqttClientOptions().setHost("127.0.0.1").setVersion(MqttVersion.V5).setTimeoutPreset(TimeoutPreset.LOCAL)
      .setAckTimeoutMillis(60_000).setReceiveMaximum(config.window).setOfflineBufferMaxMessages(config.window * 2)
      .setReconnect(false);
  }

  private static BenchResult measure(Vertx vertx, BrokerUnderTest broker, BenchConfig config, String group, String transport,
                                     MqttClientOptions options, QoS qos, boolean warmUp) throws Exception {
    Context sender = ((VertxInternal) vertx).createEventLoopContext();
    Context receiver = ((VertxInternal) vertx).createEventLoopContext();
    String topic = "bench/quic/" + transport + "/" + qos.value();
    MqttClient[] publisher = new MqttClient[1];
    WindowedPipe pipe = new WindowedPipe() {
      @Override
      protected Future<?> send(Buffer payload) {
        return publisher[0].publish(PublishRequest.of(topic, payload, qos));
      }
    };
    publisher[0] = onContext(sender, () -> MqttClient.create(vertx, new MqttClientOptions(options).setClientId("pub-" + topic)));
    MqttClient subscriber = onContext(receiver, () -> MqttClient.create(vertx, new MqttClientOptions(options).setClientId("sub-" + topic)));
    subscriber.messageHandler(m -> {
      pipe.receivedFromPath(m.payload());
      return Future.succeededFuture();
    });
    try {
      await(subscriber.connect());
      await(subscriber.subscribe(SubscribeRequest.of(topic, qos)));
      await(publisher[0].connect());
      if (warmUp) {
        await(pipe.run(sender, group, transport, false, config.warmup, config.window, config.payloadBytes));
      }
      double brokerCpu = broker.cpuSeconds();
      BenchResult r = await(pipe.run(sender, group, transport, false, config.messages, config.window, config.payloadBytes));
      brokerCpu = broker.cpuSeconds() - brokerCpu;
      String subject = String.format(Locale.ROOT, "%s (CPU load JVM %.1f s + broker %.1f s)", transport, r.cpuSeconds, brokerCpu);
      System.out.printf(Locale.ROOT, "  %-55s %-50s %,10.0f msg/s  p99 %8.0f µs%n", group, subject, r.throughput(), r.p99Micros);
      return new BenchResult(group, subject, transport.equals("TCP"), r.messages, r.seconds, r.p50Micros, r.p99Micros,
        r.cpuSeconds + brokerCpu);
    } finally {
      await(publisher[0].disconnect());
      await(subscriber.disconnect());
    }
  }

  private static <T> T onContext(Context context, Supplier<T> action) throws Exception {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> p.complete(action.get()));
    return await(p.future());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
  }
}
