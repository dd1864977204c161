package io.flowsdk.admin;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.testing.Chromium;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (Debian's chromium headless): it loads without errors, draws this
 * node and its routes, its charts move while MQTT traffic flows, a refused CONNECT shows under its
 * reason, and its "try it" panel's publish (MQTT over WebSocket) reaches mosquitto_sub.
 */
class ConsoleBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Vertx vertx;
  private AdminNode node;
  private int webSocketPort;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    webSocketPort = FreePorts.loopback();
    node = AdminNode.start(vertx, new ManagementOptions(), List.of(new MqttListenerOptions()
      .setTransport(MqttListenerOptions.Transport.WEBSOCKET).setPort(webSocketPort)));
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  /**
   * The console in a new browser, once console.js has attached its handlers (its ready mark): a click before that
   * would submit a form natively, reloading the page, and a field set before it would be overwritten by its default.
   */
  static Chromium openConsole(AdminNode node) throws Exception {
    Chromium browser = Chromium.open("http://127.0.0.1:" + node.httpPort + "/console/");
    try {
      // while the page is still loading, an evaluation may find no execution context (IllegalStateException)
      await().atMost(WAIT).ignoreExceptionsInstanceOf(IllegalStateException.class)
        .until(() -> "true".equals(browser.eval("document.documentElement.dataset.ready")));
      return browser;
    } catch (RuntimeException | Error e) {
      browser.close();
      throw e;
    }
  }

  /** The latest rate the legend of {@code chart} shows for {@code series}, 0 while the series is not drawn. */
  private static double rate(Chromium browser, String chart, String series) throws Exception {
    Object rate = browser.eval("(() => { const li = document.querySelector('#" + chart + " li[data-series=\"" + series
      + "\"]'); return li ? li.dataset.rate : '0'; })()");
    return Double.parseDouble((String) rate);
  }

  private static String textOf(Chromium browser, String selector) throws Exception {
    return (String) browser.eval("document.querySelector('" + selector + "').textContent");
  }

  @Test
  void givenTheConsole_whenTrafficFlows_thenItsChartsMoveAndItsPicturesAndTablesShowTheNode() throws Exception {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("console-load").serverHost("127.0.0.1")
      .serverPort(node.mqttPort).buildBlocking();
    client.connect();
    client.subscribeWith().topicFilter("load/#").send();
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    publisher.scheduleAtFixedRate(() -> client.publishWith().topic("load/x").payload("x".getBytes(StandardCharsets.UTF_8))
      .qos(MqttQos.AT_LEAST_ONCE).send(), 0, 20, TimeUnit.MILLISECONDS);
    try (Chromium browser = openConsole(node)) {
      String node8 = node.nodeId.substring(0, 8);
      await().atMost(WAIT).until(() -> rate(browser, "adapter-legend", "broker in") > 0
        && rate(browser, "adapter-legend", "broker out") > 0 && rate(browser, "node-legend", node8 + " in") > 0);
      publisher.shutdownNow();

      assertEquals(node.nodeId, browser.eval("document.querySelector('#topology g.node').dataset.node"));
      await().atMost(WAIT).until(() -> textOf(browser, "#topology").contains("load/#"));
      await().atMost(WAIT).until(() -> textOf(browser, "#clients tbody").contains("console-load"));

      String tooLong = "c".repeat(300);
      assertThrows(RuntimeException.class, () -> Mqtt5Client.builder().identifier(tooLong).serverHost("127.0.0.1")
        .serverPort(node.mqttPort).buildBlocking().connect());
      await().atMost(WAIT).until(() -> textOf(browser, "#problems tbody").contains("brokererror: client_id_length1"));
      assertEquals(List.of(), browser.errors());
    } finally {
      publisher.shutdownNow();
      client.disconnect();
    }
  }

  @Test
  void givenTheTryItPanel_whenItPublishes_thenAnIndependentMosquittoSubscriberReceivesIt() throws Exception {
    Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(node.mqttPort), "-i",
      "tryit-sub", "-t", "tryit/#", "-v", "-C", "1", "-W", "30").redirectErrorStream(true).start();
    try (Chromium browser = openConsole(node)) {
      await().atMost(WAIT).until(() -> node.get("/api/mqtt/subscriptions?clientId=tryit-sub").getLong("total") == 1);
      browser.eval("document.getElementById('tryit-url').value = 'ws://127.0.0.1:" + webSocketPort + "/mqtt';"
        + "document.getElementById('tryit-filter').value = 'tryit/#';"
        + "document.getElementById('tryit-subscribe').click()");
      await().atMost(WAIT).until(() -> textOf(browser, "#tryit-log").contains("subscribed to tryit/#"));
      browser.eval("document.getElementById('tryit-topic').value = 'tryit/hello';"
        + "document.getElementById('tryit-message').value = 'from the console';"
        + "document.getElementById('tryit-send').click()");

      assertTrue(sub.waitFor(30, TimeUnit.SECONDS), "mosquitto_sub did not end");
      assertEquals("tryit/hello from the console", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
      assertEquals(0, sub.exitValue());
      await().atMost(WAIT).until(() -> textOf(browser, "#tryit-log").contains("received tryit/hello from the console"));
      assertEquals(List.of(), browser.errors());
    } finally {
      sub.destroy();
    }
  }
}
