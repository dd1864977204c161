package io.flowsdk.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the fat jar as separate processes, as a user would, and talks to them over HTTP. */
class NodeProcessIT {

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

  /** A port offset from the default 8080 that lands on a port free now. */
  private static int freeOffset() throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (s.getLocalPort() > ManagementOptions.DEFAULT_PORT) {
          return s.getLocalPort() - ManagementOptions.DEFAULT_PORT;
        }
      }
    }
  }

  private Process startNode(int offset, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Dflowsdk.portOffset=" + offset, "-jar", System.getProperty("flowsdk.jar")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(new File("target/node-" + offset + ".log")).start();
    processes.add(p);
    return p;
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

    HttpResponse<String> metrics = get(port, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("flowsdk_bus_published_total{qos=\"1\"}"), "flow meters are exported");
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters are exported");

    node.destroy();
    assertTrue(node.waitFor(20, TimeUnit.SECONDS), "the node stops on SIGTERM");
  }

  @Test
  void givenTwoFatJarNodesWithCluster_whenStarted_thenEachSeesTwoMembers() throws Exception {
    int first = freeOffset();
    int second = freeOffset();
    startNode(first, "-cluster");
    startNode(second, "-cluster");
    for (int offset : List.of(first, second)) {
      int port = ManagementOptions.DEFAULT_PORT + offset;
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
        new JsonObject(get(port, "/health").body()).getInteger("clusterMembers") == 2);
    }
  }
}
