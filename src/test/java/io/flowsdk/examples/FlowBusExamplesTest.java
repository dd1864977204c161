package io.flowsdk.examples;

import io.flowsdk.FlowError;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.OverflowPolicy;
import io.flowsdk.bus.PublishResult;
import io.flowsdk.bus.QoS;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.node.ManagementOptions;
import io.flowsdk.node.NodeOptions;
import io.flowsdk.node.NodeVerticle;
import io.flowsdk.node.VerticleSpec;
import io.flowsdk.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The examples quoted in docs/guide.md; they run as tests so the guide cannot rot. */
class FlowBusExamplesTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void publishSubscribe() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    // tag::publish-subscribe[]
    Future<PublishResult> published = FlowBus.create(vertx).compose(bus ->
      bus.subscribe("plant/+/temp", message -> received.add(message.topic() + " = " + message.payload()))
        .compose(subscription -> bus.publish(FlowMessage.builder("plant/7/temp")
          .payload("21.5")
          .qos(QoS.AT_LEAST_ONCE)      // completes when every subscriber took it
          .priority(200)               // 0..255, bounded buffers drop the lowest first
          .header("unit", "celsius")   // MQTT 5 user properties, gRPC metadata
          .build())));
    // end::publish-subscribe[]
    assertEquals(1, join(published).subscribers());
    assertEquals(List.of("plant/7/temp = 21.5"), received);
  }

  @Test
  void boundedSubscription(@TempDir Path orders) throws Exception {
    FlowBus bus = join(FlowBus.create(vertx));
    String lastOrder = orders.resolve("last-order.bin").toString();
    // tag::bounded-subscription[]
    SubscriptionOptions options = new SubscriptionOptions()
      .setFilter("$share/billing/orders/#")           // one member of group "billing" per message, cluster-wide
      .setQos(QoS.AT_LEAST_ONCE)                       // deliver at most QoS 1
      .setMaxInflight(16)                              // unacknowledged messages handed to the handler
      .setBufferSize(10_000)                           // then wait here...
      .setOverflowPolicy(OverflowPolicy.DROP_LOWEST_PRIORITY); // ...and at the limit drop (counted, publisher told)
    Future<Void> subscribed = bus.subscribe(options, message ->
      vertx.fileSystem().writeFile(lastOrder, message.payload())) // the future acknowledges
      .mapEmpty();
    // end::bounded-subscription[]
    join(subscribed);
    // QoS 1: the publish completes only after the handler's future, so the file is written by then
    assertEquals(1, join(bus.publish(FlowMessage.builder("orders/42").payload("x").qos(QoS.AT_LEAST_ONCE).build())).subscribers());
    assertEquals("x", Files.readString(Path.of(lastOrder)));
  }

  @Test
  void requestResponse() throws Exception {
    FlowBus bus = join(FlowBus.create(vertx));
    // tag::request-response[]
    Future<FlowMessage> answer = bus.serve("calc.double", request -> {
        int n = Integer.parseInt(request.payload().toString());
        return Future.succeededFuture(FlowMessage.builder("calc/double").payload(String.valueOf(2 * n)).build());
      })
      .compose(service -> bus.request("calc.double", FlowMessage.builder("calc/double").payload("21").build(),
        Duration.ofSeconds(2)));                       // the answer, or TIMEOUT after 2 s

    Future<FlowMessage> unserved = bus.request("calc.triple", FlowMessage.of("calc/triple", Buffer.buffer("1")),
      Duration.ofSeconds(2));                          // fails at once with NO_ROUTE: nobody serves it
    // end::request-response[]
    assertEquals("42", join(answer).payload().toString());
    assertEquals(FlowError.NO_ROUTE, failure(unserved).error());
  }

  @Test
  void embedANode() throws Exception {
    int managementPort = FreePorts.loopback();
    // tag::embed-node[]
    NodeOptions node = new NodeOptions()
      .setVerticles(List.of(new VerticleSpec()
        .setName("management")
        .setVerticle("io.flowsdk.node.ManagementVerticle")
        .setConfig(new ManagementOptions().setPort(managementPort).toJson()))); // on 127.0.0.1
    Future<String> deployed = vertx.deployVerticle(new NodeVerticle(node), new DeploymentOptions());
    // end::embed-node[]
    join(deployed);
    JsonObject health = join(vertx.createHttpClient()
      .request(HttpMethod.GET, managementPort, "127.0.0.1", "/health")
      .compose(request -> request.send())
      .compose(HttpClientResponse::body)).toJsonObject();
    assertEquals("UP", health.getString("status"));
    assertEquals(join(FlowBus.create(vertx)).nodeId(), health.getString("node"));
  }
}
