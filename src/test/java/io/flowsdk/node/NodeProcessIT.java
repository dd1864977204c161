package io.flowsdk.node;

import io.flowsdk.grpc.v1.FlowGrpc;
import io.flowsdk.grpc.v1.PublishRequest;
import io.flowsdk.grpc.v1.PublishResponse;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.testing.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the fat jar as separate processes, as a user would, and talks to them over HTTP. */
class NodeProcessIT {

  private static final int GRPC_PORT = 50051;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** A port offset under which the embedded default's ports (management, gRPC, MQTT, MQTT over WebSocket) are free now. */
  private static int freeOffset() {
    return FreePorts.offsetFor(ManagementOptions.DEFAULT_PORT, GRPC_PORT, MqttListenerOptions.DEFAULT_PORT, 8083);
  }

  private int lastOffset;

  private Process startNode(int offset, String... args) throws IOException {
    lastOffset = offset;
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Dflowsdk.portOffset=" + offset, "-jar", System.getProperty("flowsdk.jar")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(new File("target/node-" + offset + ".log")).start();
    processes.add(p);
    return p;
  }

  /** The log of the node started last, each line without its time of day. */
  private List<String> logWithoutTimes() throws IOException {
    return Files.readAllLines(Path.of("target/node-" + lastOffset + ".log")).stream()
      .map(line -> line.replaceFirst("^\\d\\d:\\d\\d:\\d\\d ", "")).toList();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenFatJarWithEmbeddedDefault_whenStarted_thenHealthUpAndFlowMetersScraped() throws Exception {
    int offset = freeOffset();
    int port = ManagementOptions.DEFAULT_PORT + offset;
    Process node = startNode(offset, "-conf", "conf/flow.json");

    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(port, "/health").statusCode() == 200);
    JsonObject health = new JsonObject(get(port, "/health").body());
    assertEquals("UP", health.getString("status"));
    assertEquals(false, health.getBoolean("clustered"));

    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", GRPC_PORT + offset).usePlaintext().build();
    try {
      PublishResponse published = FlowGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .publish(PublishRequest.newBuilder().setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder()
          .setTopic("fat/jar").setQos(io.flowsdk.grpc.v1.QoS.QOS_AT_LEAST_ONCE)).build());
      assertEquals(0, published.getNodes(), "the embedded gRPC gateway answers; nobody subscribes yet");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    int mqttPort = MqttListenerOptions.DEFAULT_PORT + offset;
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(mqttPort), "-V", "mqttv5",
      "-q", "1", "-t", "fat/mqtt", "-m", "from mosquitto_pub").redirectErrorStream(true).start();
    assertTrue(pub.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub ends");
    assertEquals(0, pub.exitValue(), "the embedded broker acknowledges a QoS 1 publish: " + new String(pub.getInputStream().readAllBytes()));

    HttpResponse<String> metrics = get(port, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("flowsdk_bus_published_total{qos=\"1\"} 2.0"), "flow meters count the gRPC and the MQTT publish: "
      + metrics.body().lines().filter(l -> l.startsWith("flowsdk_bus_published")).toList());
    assertTrue(metrics.body().contains("flowsdk_mqtt_broker_received_total{qos=\"1\"} 1.0"), "the broker counts the MQTT publish");
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters are exported");
    assertEquals(List.of(
      "INFO listener 'management': http on 127.0.0.1:" + port + ", plaintext",
      "INFO listener 'grpc': grpc on 127.0.0.1:" + (GRPC_PORT + offset) + ", plaintext",
      "INFO listener 'mqtt-broker.listeners[0]': mqtt on 127.0.0.1:" + mqttPort + ", plaintext",
      "INFO listener 'mqtt-broker.listeners[1]': mqtt over websocket (/mqtt) on 127.0.0.1:" + (8083 + offset) + ", plaintext",
      "INFO node up: node " + health.getString("node") + ", not clustered"), logWithoutTimes(),
      "where to connect, and nothing else (no Micrometer gauge warning after a scrape)");
    String readme = Files.readString(Path.of("README.md"));
    for (String line : List.of("listener 'management': http on 127.0.0.1:8080, plaintext",
      "listener 'grpc': grpc on 127.0.0.1:50051, plaintext", "listener 'mqtt-broker.listeners[0]': mqtt on 127.0.0.1:1883, plaintext",
      "listener 'mqtt-broker.listeners[1]': mqtt over websocket (/mqtt) on 127.0.0.1:8083, plaintext")) {
      assertTrue(readme.contains(line), "the README shows what the default node prints (without an offset): " + line);
    }

    node.destroy();
    assertTrue(node.waitFor(20, TimeUnit.SECONDS), "the node stops on SIGTERM");
  }

  /** What a node started with {@code -conf conf} prints before it exits with code 2. */
  private String refusedOutput(String conf) throws Exception {
    Process node = startNode(freeOffset(), "-conf", conf);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node exits instead of starting on a default");
    assertEquals(2, node.exitValue());
    return Files.readString(Path.of("target/node-" + lastOffset + ".log"));
  }

  @Test
  void givenMalformedConfiguration_whenStarted_thenExitsWithOneLineNamingTheFileAndPosition() throws Exception {
    Path broken = Path.of("target/broken-node.json");
    Files.writeString(broken, "{\"verticles\": [ {oops");
    assertEquals("flowsdk: target/broken-node.json is not valid JSON: line 1, column 18: Unexpected character ('o' (code 111)): "
      + "was expecting double-quote to start field name\n", refusedOutput(broken.toString()));
  }

  @Test
  void givenADirectoryAsConfiguration_whenStarted_thenExitsSayingItIsADirectory() throws Exception {
    assertEquals("flowsdk: configuration file " + Path.of("target").toAbsolutePath() + " is a directory, not a file\n",
      refusedOutput("target"));
  }

  @Test
  void givenAPortWrittenAsAString_whenStarted_thenExitsWithOneLineQuotingTheString() throws Exception {
    assertEquals("flowsdk: verticle 'management' (io.flowsdk.node.ManagementVerticle) has an invalid "
      + "configuration: option 'port' of ManagementOptions must be a whole number, not the string \"8080\"\n",
      refusedOutput("{\"verticles\": [{\"name\": \"management\", \"verticle\": \"io.flowsdk.node.ManagementVerticle\","
        + " \"config\": {\"port\": \"8080\"}}]}"));
  }

  @Test
  void givenHelp_whenStarted_thenPrintsOurUsageAndExitsZero() throws Exception {
    Process node = startNode(freeOffset(), "--help");
    assertTrue(node.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, node.exitValue());
    assertEquals(NodeArguments.USAGE, Files.readString(Path.of("target/node-" + lastOffset + ".log")));
  }

  @Test
  void givenTheLaunchersInstancesOption_whenStarted_thenRefusedWithOneLine() throws Exception {
    Process node = startNode(freeOffset(), "-instances=2");
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node exits instead of deploying every verticle twice");
    assertEquals(2, node.exitValue());
    assertEquals("flowsdk: unknown argument '-instances=2' (the node deploys what its -conf lists; --help shows what it accepts)\n",
      Files.readString(Path.of("target/node-" + lastOffset + ".log")));
  }

  @Test
  void givenVerbose_whenStarted_thenTheLauncherLogsAgain() throws Exception {
    int offset = freeOffset();
    startNode(offset, "-v");
    await().atMost(Duration.ofSeconds(60)).until(() -> logWithoutTimes().stream().anyMatch(l -> l.startsWith("INFO node up")));
    assertTrue(logWithoutTimes().contains("INFO Succeeded in deploying verticle"), String.join("\n", logWithoutTimes()));
  }

  /** The "node up" line of the node started last, once it is there. */
  private String nodeUpLine() {
    return await().atMost(Duration.ofSeconds(90)).until(() -> logWithoutTimes().stream()
      .filter(l -> l.startsWith("INFO node up")).findFirst(), java.util.Optional::isPresent).get();
  }

  @Test
  void givenTwoNodesWithDifferentClusterNames_whenStartedOnOneHost_thenNeitherJoinsTheOther() throws Exception {
    String name = "it-" + UUID.randomUUID();
    startNode(freeOffset(), "-cluster-name", name + "-a");
    assertTrue(nodeUpLine().endsWith(", clustered in '" + name + "-a' with 1 member"), nodeUpLine());
    startNode(freeOffset(), "-cluster-name", name + "-b");
    assertTrue(nodeUpLine().endsWith(", clustered in '" + name + "-b' with 1 member"), "the second node stays alone: " + nodeUpLine());
  }

  @Test
  void givenTwoFatJarNodesWithCluster_whenStarted_thenEachSeesTwoMembers() throws Exception {
    // a cluster name of its own: a node of someone else's on this host must not join the test's cluster
    String name = "it-" + UUID.randomUUID();
    int first = freeOffset();
    int second = freeOffset();
    startNode(first, "-cluster", "-cluster-name", name);
    startNode(second, "-cluster-name", name);
    for (int offset : List.of(first, second)) {
      int port = ManagementOptions.DEFAULT_PORT + offset;
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
        new JsonObject(get(port, "/health").body()).getInteger("clusterMembers") == 2);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> logWithoutTimes().stream().anyMatch(l -> l.startsWith("INFO node up")));
    String log = String.join("\n", logWithoutTimes());
    for (String noise : List.of("Hazelcast Platform", "Copyright (c)", "Java modular environment", "CP Subsystem")) {
      assertTrue(!log.contains(noise), "Hazelcast's start-up noise is off by default, found '" + noise + "' in\n" + log);
    }
  }
}
