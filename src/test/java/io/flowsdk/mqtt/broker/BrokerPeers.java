package io.flowsdk.mqtt.broker;

import io.flowsdk.mqtt.testing.ConnectBuilder;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;
import io.flowsdk.bus.FlowBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broker on a free loopback port and the mosquitto command-line clients pointed at it. */
final class BrokerPeers implements AutoCloseable {

  /** How long a raw client waits for a packet or a close. */
  static final Duration WAIT = Duration.ofSeconds(10);

  final Vertx vertx;
  final MqttBroker broker;
  final FlowBus bus;
  final int port;

  private BrokerPeers(Vertx vertx, MqttBroker broker, FlowBus bus) {
    this.vertx = vertx;
    this.broker = broker;
    this.bus = bus;
    this.port = broker.ports().get(0);
  }

  static BrokerPeers start(MqttBrokerOptions options) throws Exception {
    return start(Vertx.vertx(), options);
  }

  /** Starts a broker on a verticle's event loop of {@code vertx}, as {@link MqttBrokerVerticle} does. */
  static BrokerPeers start(Vertx vertx, MqttBrokerOptions options) throws Exception {
    AtomicReference<MqttBroker> started = new AtomicReference<>();
    join(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return MqttBroker.create(vertx, options).onSuccess(started::set);
      }
    }));
    return new BrokerPeers(vertx, started.get(), join(FlowBus.create(vertx)));
  }

  /** A raw-socket client of the listener on {@code listenerPort} that has sent {@code connect} (its CONNACK still to read). */
  RawMqttClient rawConnecting(int listenerPort, boolean v5, RawPacket connect) throws Exception {
    RawMqttClient client = join(RawMqttClient.connect(vertx, "127.0.0.1", listenerPort, v5));
    join(client.send(connect));
    return client;
  }

  /**
   * A CONNECT of {@code clientId} with keep-alive 60; {@code sessionExpiry} (seconds, 0 for none) goes in the
   * MQTT 5 properties, a 3.1.1 session is kept when {@code cleanStart} is false.
   */
  static RawPacket connect(String clientId, boolean v5, boolean cleanStart, int sessionExpiry) {
    ConnectBuilder connect = (v5 ? RawPacket.v5() : RawPacket.v311()).connect().clientId(clientId).cleanStart(cleanStart);
    if (sessionExpiry != 0) {
      connect.properties(RawProperties.create().sessionExpiryInterval(sessionExpiry));
    }
    return connect.build();
  }

  static MqttBrokerOptions onFreePort() {
    return new MqttBrokerOptions().setListeners(List.of(new MqttListenerOptions().setPort(0)));
  }

  /** Runs {@code mosquitto_pub} against the broker and returns once it exited with 0. */
  void mosquittoPub(String version, String... args) throws IOException, InterruptedException {
    mosquittoPubAt(port, version, args);
  }

  /** Runs {@code mosquitto_pub} against the listener on {@code listenerPort}. */
  void mosquittoPubAt(int listenerPort, String version, String... args) throws IOException, InterruptedException {
    String failure = mosquittoPubFailure(listenerPort, version, args);
    assertEquals(null, failure, "mosquitto_pub " + String.join(" ", args));
  }

  /** Runs {@code mosquitto_pub}; null when it exited with 0, else its exit code and output. */
  String mosquittoPubFailure(int listenerPort, String version, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(listenerPort), "-V", version));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mosquitto_pub exits");
      return p.exitValue() == 0 ? null
        : "exit " + p.exitValue() + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * Starts {@code mosquitto_sub} and returns once its subscription on {@code topic} is routed on the
   * bus, or once it ended (it may have had its {@code -C} messages from the retained ones already).
   */
  Process mosquittoSub(String version, String topic, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", version,
      "-t", topic));
    cmd.addAll(List.of(args));
    return subscriber(new ProcessBuilder(cmd).redirectErrorStream(true), topic);
  }

  /** Starts a subscribing client process and returns once its subscription on {@code topic} is routed, or it ended. */
  Process subscriber(ProcessBuilder command, String topic) throws IOException {
    Process p = command.start();
    String matching = topic.replace("#", "x").replace("+", "x");
    await().atMost(10, TimeUnit.SECONDS).until(() -> !p.isAlive() || join(bus.routeOf(matching)).contains(bus.nodeId()));
    return p;
  }

  /** The output of a finished {@code mosquitto_sub}. */
  static String output(Process p) {
    try {
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mosquitto_sub exits after its -C messages");
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      p.destroyForcibly();
    }
  }

  @Override
  public void close() throws Exception {
    join(vertx.close());
  }
}
