package io.flowsdk.grpc;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.testing.DebianPython;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python users generate stubs from {@code src/main/proto} with Debian's python3-grpc-tools (protoc 3.5.1,
 * which refuses proto3 {@code optional}) and use them against a running gateway:
 * {@code src/test/python/flow_stubs_client.py} subscribes and publishes through the generated classes,
 * and field presence (priority 0 set, expiry absent) survives the trip in both directions.
 */
class GrpcPythonStubsTest {

  static final Path PROTO_ROOT = Path.of("src/main/proto");
  static final String TOKEN = "py-stubs-token";

  static GatewayFixture node;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    DebianPython.requireGrpc();
    node = new GatewayFixture(new GrpcGatewayOptions()
      .addToken(new GrpcTokenOptions().setName("python-stubs").setSha256(GrpcTokenOptions.hash(TOKEN))
        .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex("py/stubs/.*"))
        .addOutboundPermitted(new GrpcPermittedOptions().setAddress("py/stubs/#"))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** The command docs/grpc-gateway.md gives: every .proto under src/main/proto, stubs into {@code out}. */
  private static void generateStubs(Path out) throws Exception {
    Files.createDirectories(out);
    List<String> command = new ArrayList<>(List.of("-m", "grpc_tools.protoc", "-I" + PROTO_ROOT,
      "--python_out=" + out, "--grpc_python_out=" + out));
    try (Stream<Path> protos = Files.walk(PROTO_ROOT)) {
      command.addAll(protos.filter(p -> p.toString().endsWith(".proto")).map(Path::toString).sorted().collect(Collectors.toList()));
    }
    DebianPython.run(dir, "protoc", command.toArray(String[]::new));
  }

  @Test
  void givenStubsFromDebiansGrpcTools_whenPythonPublishesAndSubscribes_thenFieldPresenceSurvivesBothWays() throws Exception {
    Path stubs = dir.resolve("stubs");
    generateStubs(stubs);
    assertTrue(Files.isRegularFile(stubs.resolve("flowsdk/v1/flow_pb2_grpc.py")), "no generated service stub");
    List<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(node.bus.subscribe("py/stubs/#", onBus::add));

    List<String> lines = DebianPython.run(dir, "client", "src/test/python/flow_stubs_client.py", "--stubs", stubs.toString(),
      "--target", "127.0.0.1:" + node.port(), "--token", TOKEN, "--topic", "py/stubs");
    JsonObject out = new JsonObject(lines.get(lines.size() - 1));

    JsonArray published = out.getJsonArray("publish");
    for (int i = 0; i < 2; i++) {
      assertEquals(new JsonObject().put("subscribers", 2).put("acknowledged", true), published.getJsonObject(i),
        "the bus subscriber and the Python subscription both took it: " + out.encode());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> onBus.size() == 2);
    FlowMessage explicit = onBus.get(0);
    assertEquals("py/stubs/explicit", explicit.topic());
    assertEquals(0, explicit.priority(), "a priority of 0 that was set is not the absent default of 128");
    assertEquals(OptionalLong.of(30), explicit.messageExpiry());
    FlowMessage defaults = onBus.get(1);
    assertEquals("py/stubs/default", defaults.topic());
    assertEquals(128, defaults.priority());
    assertEquals(OptionalLong.empty(), defaults.messageExpiry());

    JsonObject explicitDelivery = out.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("explicit", explicitDelivery.getString("payload"));
    assertEquals(true, explicitDelivery.getBoolean("hasPriority"));
    assertEquals(0, explicitDelivery.getInteger("priority"));
    assertEquals(true, explicitDelivery.getBoolean("hasExpiry"));
    int secondsLeft = explicitDelivery.getInteger("expiry");
    assertTrue(secondsLeft > 0 && secondsLeft <= 30, "seconds left of 30: " + secondsLeft);
    JsonObject defaultDelivery = out.getJsonArray("deliveries").getJsonObject(1);
    assertEquals("default", defaultDelivery.getString("payload"));
    assertEquals(128, defaultDelivery.getInteger("priority"));
    assertEquals(false, defaultDelivery.getBoolean("hasExpiry"), "no expiry set, none delivered: " + out.encode());
  }
}
