package io.flowsdk.admin;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.flowsdk.grpc.GrpcGatewayOptions;
import io.flowsdk.grpc.GrpcGatewayVerticle;
import io.flowsdk.admin.resources.TrafficMeters;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.bridge.MqttBridgeOptions;
import io.flowsdk.mqtt.bridge.MqttClientVerticle;
import io.flowsdk.mqtt.bridge.TopicMapping;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.relay.RelayEdgeVerticle;
import io.flowsdk.relay.UpstreamAddressOptions;
import io.flowsdk.relay.RelayUpstreamOptions;
import io.flowsdk.relay.RelayUpstreamVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console's pages are served, and every meter the console (through {@code /api/metrics/traffic})
 * and the Grafana dashboard read exists on a running node (management, broker, gateway, bridge, relay,
 * Prometheus and JVM meters on): the console's after traffic, the dashboard's on a fresh node, before any.
 */
class ConsoleAndDashboardTest {

  private static final Pattern METER = Pattern.compile("\\b((?:flowsdk|jvm|vertx)_[a-z0-9_]+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Vertx vertx;
  private AdminNode node;
  private Mqtt5BlockingClient client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setJvmMetricsEnabled(true).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    node = AdminNode.start(vertx, new ManagementOptions());
    join(vertx.deployVerticle(GrpcGatewayVerticle.class.getName(),
      new DeploymentOptions().setConfig(new GrpcGatewayOptions().setPort(FreePorts.loopback()).toJson())));
    join(vertx.deployVerticle(new MqttClientVerticle(), new DeploymentOptions().setConfig(new MqttBridgeOptions()
      .setClient(new MqttClientOptions().setHost("127.0.0.1").setPort(node.mqttPort).setClientId("console-bridge"))
      .addInbound(new TopicMapping("bridged/#", "bridged/#")).toJson())));
    RelayUpstreamVerticle upstream = new RelayUpstreamVerticle();
    join(vertx.deployVerticle(upstream, new DeploymentOptions().setConfig(new RelayUpstreamOptions().setPort(0)
      .setBrokerHost("127.0.0.1").setBrokerPort(node.mqttPort).toJson())));
    join(vertx.deployVerticle(new RelayEdgeVerticle(), new DeploymentOptions().setConfig(new RelayEdgeOptions()
      .setListeners(List.of(new MqttListenerOptions().setPort(0)))
      .setUpstreams(List.of(new UpstreamAddressOptions("127.0.0.1", upstream.actualPort()))).toJson())));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    join(vertx.close());
  }

  private void sendTraffic() {
    client = node.connect("console-test", new CompletableFuture<>());
    client.subscribeWith().topicFilter("console/#").send();
    client.publishWith().topic("console/x").payload(new byte[] {1}).qos(MqttQos.AT_LEAST_ONCE).send();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + path)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  /** The names of the samples in the node's Prometheus scrape. */
  private Set<String> scrapedMeters() throws Exception {
    Set<String> names = new TreeSet<>();
    for (String line : get("/metrics").body().split("\n")) {
      if (!line.startsWith("#") && !line.isEmpty()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static Set<String> metersIn(String text) {
    Set<String> meters = new TreeSet<>();
    Matcher m = METER.matcher(text);
    while (m.find()) {
      meters.add(m.group(1));
    }
    return meters;
  }

  @Test
  void givenTheConsole_thenItsPagesAreServed() throws Exception {
    HttpResponse<String> page = get("/console/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"console.js\"></script>"), page.body());
    for (String file : List.of("console.css", "console.js", "mqtt-ws.js")) {
      assertEquals(200, get("/console/" + file).statusCode(), file);
    }
  }

  @Test
  void givenANodeWithEveryAdapter_thenTheTrafficAnswerListsEachAndEveryFlowMeterItReadsExists() throws Exception {
    sendTraffic();
    MeterRegistry registry = FlowMetrics.registry(vertx);
    Set<String> missing = new TreeSet<>();
    TrafficMeters.SOURCES.stream().filter(source -> source.kind() == TrafficMeters.Kind.IN || source.kind() == TrafficMeters.Kind.OUT)
      .filter(source -> registry.find(source.meter()).counters().stream().noneMatch(c -> source.where().test(c.getId())))
      .forEach(source -> missing.add(source.adapter() + " " + source.kind() + " " + source.meter()));
    assertEquals(Set.of(), missing, "flow meters the console reads that the node does not register");
    JsonObject traffic = node.get("/api/metrics/traffic").getJsonArray("nodes").getJsonObject(0).getJsonObject("result");
    Set<String> adapters = new TreeSet<>();
    traffic.getJsonArray("adapters").forEach(a -> adapters.add(((JsonObject) a).getString("adapter")));
    assertEquals(Set.of("bridge", "broker", "bus", "grpc", "relay"), adapters);
  }

  @Test
  void givenTheGrafanaDashboard_thenEveryMeterItsQueriesUseExistsOnAFreshNode() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("dashboards/flowsdk-node.json")));
    Set<String> used = new TreeSet<>();
    dashboard.getJsonArray("panels").forEach(p -> ((JsonObject) p).getJsonArray("targets")
      .forEach(t -> used.addAll(metersIn(((JsonObject) t).getString("expr")))));
    assertTrue(used.size() >= 15, used.toString());
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(scrapedMeters());
    assertEquals(Set.of(), missing, "meters the dashboard queries that the node does not export");
  }
}
