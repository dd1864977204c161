package io.flowsdk.admin;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flowsdk.admin.ctl.FlowCtl;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.node.NodeOptions;
import io.flowsdk.node.NodeVerticle;
import io.flowsdk.testing.Chromium;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's "done when": a newcomer starts the embedded default ({@code conf/flow.json}), opens the console in a
 * browser, watches a {@code ctl bench} run as live charts, and finds a client there and disconnects it.
 */
class NewcomerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int GRPC_PORT = 50051;
  private static final int WEBSOCKET_PORT = 8083;

  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      join(vertx.close());
    }
  }

  private static double rate(Chromium browser, String series) throws Exception {
    Object rate = browser.eval("(() => { const li = document.querySelector('#adapter-legend li[data-series=\"" + series
      + "\"]'); return li ? li.dataset.rate : '0'; })()");
    return Double.parseDouble((String) rate);
  }

  private static String clientsTable(Chromium browser) throws Exception {
    return (String) browser.eval("document.querySelector('#clients tbody').textContent");
  }

  @Test
  void givenTheEmbeddedDefault_whenABenchRuns_thenTheConsoleChartsItAndDisconnectsAClientFoundInIt() throws Exception {
    int offset = FreePorts.offsetFor(ManagementOptions.DEFAULT_PORT, GRPC_PORT, MqttListenerOptions.DEFAULT_PORT,
      WEBSOCKET_PORT);
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    NodeOptions embeddedDefault = new NodeOptions(new JsonObject(Files.readString(Path.of("conf/flow.json"))))
      .setPortOffset(offset);
    join(vertx.deployVerticle(new NodeVerticle(embeddedDefault)));
    int mqttPort = MqttListenerOptions.DEFAULT_PORT + offset;
    AdminNode node = AdminNode.of(vertx, ManagementOptions.DEFAULT_PORT + offset, mqttPort);

    CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
    Mqtt5BlockingClient newcomer = node.connect("newcomer-1", disconnected);
    try (Chromium browser = ConsoleBrowserTest.openConsole(node)) {
      StringWriter benchOut = new StringWriter();
      CompletableFuture<Integer> bench = CompletableFuture.supplyAsync(() -> FlowCtl.run(new String[] {"bench", "-p",
        String.valueOf(mqttPort), "--rate", "200", "--duration", "10", "-q", "1"}, new PrintWriter(benchOut),
        new PrintWriter(new StringWriter())));

      await().atMost(WAIT).until(() -> rate(browser, "broker in") > 50 && rate(browser, "broker out") > 50);
      await().atMost(WAIT).until(() -> clientsTable(browser).contains("newcomer-1"));
      browser.eval("document.querySelector('#clients button[data-client=\"newcomer-1\"]').click()");
      assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION, disconnected.get(30, TimeUnit.SECONDS));
      await().atMost(WAIT).until(() -> !clientsTable(browser).contains("newcomer-1"));

      assertEquals(0, bench.get(60, TimeUnit.SECONDS), benchOut.toString());
      String[] row = benchOut.toString().lines().toList().get(1).split("\\s+");
      assertEquals(List.of("2000", "2000", "0"), List.of(row).subList(4, 7), benchOut.toString());
      assertEquals(List.of(), browser.errors());
    } finally {
      if (newcomer.getState().isConnected()) {
        newcomer.disconnect();
      }
    }
  }
}
