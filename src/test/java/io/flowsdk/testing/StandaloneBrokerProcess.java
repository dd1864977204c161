package io.flowsdk.testing;

import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A standalone (not clustered) MQTT broker in a process of its own, for tests that kill it with
 * {@code kill -9}: its first argument is the JSON of its {@link MqttBrokerOptions}; it prints
 * {@code READY <port>} with the port of its first listener.
 */
public final class StandaloneBrokerProcess {

  /** A broker process started by {@link #launch} and the port it listens on. */
  public record Running(Process process, int port) {

    /** {@code kill -9}: no shutdown hook, no close of a store; returns once the process is gone. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the broker process did not end after SIGKILL");
      }
    }
  }

  /** Starts a broker process with {@code options} and returns once it listens; its output is drained so it never blocks. */
  public static Running launch(MqttBrokerOptions options) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
      StandaloneBrokerProcess.class.getName(), options.toJson().encode()).redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        int port = Integer.parseInt(line.substring(6).trim());
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return new Running(p, port);
      }
    }
    throw new AssertionError("the broker process ended before it was ready: exit " + p.waitFor());
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    MqttBrokerOptions options = new MqttBrokerOptions(new JsonObject(args[0]));
    AtomicReference<MqttBroker> broker = new AtomicReference<>();
    Futures.join(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return MqttBroker.create(vertx, options).onSuccess(broker::set);
      }
    }));
    System.out.println("READY " + broker.get().ports().get(0));
    System.out.flush();
  }
}
