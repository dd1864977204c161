package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.ListenerOptions;
import io.flowsdk.config.ListenerSetOptions;
import io.flowsdk.grpc.GrpcGatewayVerticle;
import io.flowsdk.mqtt.broker.MqttBrokerVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeploymentPlanTest {

  private static NodeOptions node(int portOffset, JsonObject... entries) {
    return new NodeOptions(new JsonObject().put("portOffset", portOffset).put("verticles", new JsonArray(List.of((Object[]) entries))));
  }

  private static JsonObject entry(String name, Class<?> verticle, JsonObject config) {
    return new JsonObject().put("name", name).put("verticle", verticle.getName()).put("config", config);
  }

  @Test
  void givenListenersWithoutPortOrWithNullPort_whenPlannedWithAnOffset_thenTheirDefaultPortsAreShifted() {
    List<PlannedVerticle> plan = DeploymentPlan.of(node(7,
      entry("management", ManagementVerticle.class, new JsonObject()),
      entry("grpc", GrpcGatewayVerticle.class, new JsonObject().putNull("port"))));
    assertEquals(8087, plan.get(0).config().getInteger("port"));
    assertEquals(List.of(new Listener("management", "http", "127.0.0.1", 8087, false)), plan.get(0).listeners());
    assertEquals(50058, plan.get(1).config().getInteger("port"));
    assertEquals(List.of(new Listener("grpc", "grpc", "127.0.0.1", 50058, false)), plan.get(1).listeners());
  }

  @Test
  void givenARelayUpstream_whenPlannedWithAnOffset_thenItsGrpcPortIsShiftedAndListedAsAListener() {
    PlannedVerticle planned = DeploymentPlan.of(node(2, entry("upstream", io.flowsdk.relay.RelayUpstreamVerticle.class,
      new JsonObject().put("tls", true).put("tlsCertPath", "c.pem").put("tlsKeyPath", "k.pem")))).get(0);
    assertEquals(50517, planned.config().getInteger("port"));
    assertEquals(List.of(new Listener("upstream", "grpc", "127.0.0.1", 50517, true)), planned.listeners());
  }

  @Test
  void givenExplicitAndFreePorts_whenPlanned_thenExplicitIsShiftedAndZeroStaysZero() {
    List<PlannedVerticle> plan = DeploymentPlan.of(node(3,
      entry("a", ManagementVerticle.class, new JsonObject().put("port", 9000)),
      entry("b", ManagementVerticle.class, new JsonObject().put("port", 0))));
    assertEquals(9003, plan.get(0).config().getInteger("port"));
    assertEquals(0, plan.get(1).config().getInteger("port"));
  }

  @Test
  void givenAVerticleThatIsNoListener_whenPlanned_thenItsConfigIsPassedUnchanged() {
    JsonObject bridge = new JsonObject().put("client", new JsonObject().put("port", 1883));
    PlannedVerticle planned = DeploymentPlan.of(node(5, entry("bridge", io.flowsdk.mqtt.bridge.MqttClientVerticle.class, bridge))).get(0);
    assertEquals(bridge, planned.config());
    assertEquals(List.of(), planned.listeners());
  }

  @Test
  void givenAnOffsetPushingAPortBeyond65535_whenPlanned_thenInvalidNamingTheVerticle() {
    FlowException e = assertThrows(FlowException.class, () -> DeploymentPlan.of(node(60000,
      entry("grpc", GrpcGatewayVerticle.class, new JsonObject()))));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("verticle 'grpc' (io.flowsdk.grpc.GrpcGatewayVerticle): port 50051 + portOffset 60000 = 110051 is beyond 65535",
      e.getMessage());
  }

  @Test
  void givenTwoListenersOnOnePort_whenPlanned_thenInvalidNamingBoth() {
    FlowException e = assertThrows(FlowException.class, () -> DeploymentPlan.of(node(0,
      entry("management", ManagementVerticle.class, new JsonObject().put("port", 50051)),
      entry("grpc", GrpcGatewayVerticle.class, new JsonObject()))));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("verticles 'management' and 'grpc' both listen on port 50051 (127.0.0.1:50051 and 127.0.0.1:50051);"
      + " give one of them another port", e.getMessage());
  }

  @Test
  void givenAWildcardAndALoopbackListenerOnOnePort_whenPlanned_thenTheyClash() {
    FlowException e = assertThrows(FlowException.class, () -> DeploymentPlan.of(node(1,
      entry("a", ManagementVerticle.class, new JsonObject().put("host", "0.0.0.0")),
      entry("b", ManagementVerticle.class, new JsonObject()))));
    assertEquals("verticles 'a' and 'b' both listen on port 8081 (0.0.0.0:8081 and 127.0.0.1:8081); give one of them another port",
      e.getMessage());
  }

  @Test
  void givenListenersOnDifferentHostsOrFreePorts_whenPlanned_thenNoClash() {
    DeploymentPlan.of(node(0,
      entry("a", ManagementVerticle.class, new JsonObject().put("host", "127.0.0.1").put("port", 9000)),
      entry("b", ManagementVerticle.class, new JsonObject().put("host", "127.0.0.2").put("port", 9000)),
      entry("c", ManagementVerticle.class, new JsonObject().put("port", 0)),
      entry("d", ManagementVerticle.class, new JsonObject().put("port", 0))));
  }

  @Test
  void givenTheBrokersListenerArray_whenPlannedWithAnOffset_thenEveryListenerIsShiftedAndKeepsItsOtherKeys() {
    JsonObject broker = new JsonObject().put("listeners", new JsonArray()
      .add(new JsonObject().put("transport", "TCP"))
      .add(new JsonObject().put("transport", "WEBSOCKET").put("port", 8083)));
    PlannedVerticle planned = DeploymentPlan.of(node(10, entry("broker", MqttBrokerVerticle.class, broker))).get(0);
    assertEquals(new JsonArray()
      .add(new JsonObject().put("transport", "TCP").put("port", 1893))
      .add(new JsonObject().put("transport", "WEBSOCKET").put("port", 8093)), planned.config().getJsonArray("listeners"));
    assertEquals(List.of(new Listener("broker.listeners[0]", "mqtt", "127.0.0.1", 1893, false),
      new Listener("broker.listeners[1]", "mqtt over websocket (/mqtt)", "127.0.0.1", 8093, false)), planned.listeners());
  }

  @Test
  void givenTheBrokersDefaultListener_whenPlannedWithAnOffset_thenItIsShifted() {
    PlannedVerticle planned = DeploymentPlan.of(node(2, entry("broker", MqttBrokerVerticle.class, new JsonObject()))).get(0);
    assertEquals(new JsonArray().add(new JsonObject().put("port", 1885)), planned.config().getJsonArray("listeners"));
  }

  @Test
  void givenTwoBrokerListenersOnOnePortOrOneOnTheGatewaysPort_whenPlanned_thenInvalidNamingBoth() {
    JsonObject twice = new JsonObject().put("listeners", new JsonArray()
      .add(new JsonObject().put("port", 1883)).add(new JsonObject().put("transport", "WEBSOCKET").put("port", 1883)));
    assertEquals("verticles 'broker.listeners[0]' and 'broker.listeners[1]' both listen on port 1883 (127.0.0.1:1883 and"
      + " 127.0.0.1:1883); give one of them another port",
      assertThrows(FlowException.class, () -> DeploymentPlan.of(node(0, entry("broker", MqttBrokerVerticle.class, twice)))).getMessage());
    JsonObject onGrpc = new JsonObject().put("listeners", new JsonArray().add(new JsonObject().put("port", 50051)));
    assertEquals("verticles 'grpc' and 'broker.listeners[0]' both listen on port 50051 (127.0.0.1:50051 and"
      + " 127.0.0.1:50051); give one of them another port",
      assertThrows(FlowException.class, () -> DeploymentPlan.of(node(0, entry("grpc", GrpcGatewayVerticle.class, new JsonObject()),
        entry("broker", MqttBrokerVerticle.class, onGrpc)))).getMessage());
  }

  /** The rule a listener must follow (FooVerticle's options are FooOptions) holds for every descriptor in verticles/. */
  @Test
  void givenEveryDescriptor_whenItsOptionsAreAListener_thenTheNamingRuleFindsThem() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("verticles"))) {
      for (Path file : files.toList()) {
        JsonObject descriptor = new JsonObject(Files.readString(file));
        Class<?> options = Class.forName(descriptor.getString("options"));
        String verticle = descriptor.getString("verticle");
        if (ListenerOptions.class.isAssignableFrom(options) || ListenerSetOptions.class.isAssignableFrom(options)) {
          assertEquals(verticle.replaceAll("Verticle$", "Options"), options.getName(), file + " breaks the listener naming rule");
        }
      }
    }
  }
}
