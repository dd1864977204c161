package io.flowsdk.grpc;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.testing.DebianPython;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway used the way grpcurl uses it, by an independent non-JVM stack: Debian's python3-grpcio
 * runs {@code src/test/python/grpcurl_like.py}, which learns the API by server reflection alone (one
 * stream) and calls {@code Flow/Publish} and {@code Health/Check} with message classes built from the
 * descriptors it received. Needs the Debian packages python3-grpcio, python3-protobuf and
 * python3-grpc-tools (installed by {@code ./test}); without them the test fails, it never skips.
 */
class GrpcReflectionPythonTest {

  static final Path SCRIPT = Path.of("src/test/python/grpcurl_like.py");
  static final String TOKEN = "py-token";

  static GatewayFixture node;
  @TempDir
  static Path dir;
  static Path reflectionProto;

  @BeforeAll
  static void start() throws Exception {
    DebianPython.requireGrpc();
    reflectionProto = dir.resolve("reflection.proto");
    try (InputStream in = GrpcReflectionPythonTest.class.getResourceAsStream("/reflection.proto")) {
      assertNotNull(in, "reflection.proto is not on the classpath (it ships in vertx-grpc-reflection)");
      Files.copy(in, reflectionProto);
    }
    node = new GatewayFixture(new GrpcGatewayOptions()
      .addToken(new GrpcTokenOptions().setName("python").setSha256(GrpcTokenOptions.hash(TOKEN))
        .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex("py/.*"))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void givenOnlyReflection_whenPythonActsLikeGrpcurl_thenListsDescribesAndPublishesToTheBus(String version) throws Exception {
    String topic = "py/reflect/" + version;
    List<FlowMessage> received = new CopyOnWriteArrayList<>();
    join(node.bus.subscribe(topic, received::add));
    String payload = "hello from python over " + version;
    JsonObject publish = new JsonObject().put("message", new JsonObject()
      .put("topic", topic)
      .put("payload", Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)))
      .put("qos", "QOS_AT_LEAST_ONCE"));

    JsonObject out = runScript(version, publish);

    assertEquals(new JsonArray().add("flowsdk.v1.Flow").add("grpc.health.v1.Health")
      .add("grpc.reflection.v1.ServerReflection").add("grpc.reflection.v1alpha.ServerReflection"), out.getJsonArray("services"));
    assertEquals(5, out.getInteger("unknownSymbolError"), "NOT_FOUND for an unknown symbol");
    assertEquals("OK", out.getString("reflectionStatus"), "the server ends the stream OK after the client did");
    assertTrue(out.getInteger("reflectionQuestions") >= 4, out.encode());
    assertEquals(new JsonArray().add("flowsdk/v1/flow.proto").add("health.proto"), out.getJsonArray("files"));
    JsonArray describe = out.getJsonArray("describe");
    assertTrue(describe.contains("rpc Publish(flowsdk.v1.PublishRequest) returns (flowsdk.v1.PublishResponse)"), describe.encode());
    assertTrue(describe.contains("rpc Serve(stream flowsdk.v1.ServeRequest) returns (stream flowsdk.v1.ServeResponse)"),
      describe.encode());
    assertEquals(1, out.getJsonObject("publish").getInteger("subscribers"), out.encode());
    assertEquals(true, out.getJsonObject("publish").getBoolean("acknowledged"), out.encode());
    assertEquals("SERVING", out.getJsonObject("health").getString("status"));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertEquals(payload, received.get(0).payload().toString());
  }

  private static JsonObject runScript(String version, JsonObject publish) throws Exception {
    List<String> lines = DebianPython.run(dir, version, SCRIPT.toString(), "--target", "127.0.0.1:" + node.port(),
      "--reflection-proto", reflectionProto.toString(), "--reflection", version,
      "--publish", publish.encode(), "--token", TOKEN);
    return new JsonObject(lines.get(lines.size() - 1));
  }
}
