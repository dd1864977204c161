package io.flowsdk.filter;

import io.flowsdk.FlowError;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import io.flowsdk.metrics.FlowMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FilterVerticleTest {

  private Vertx vertx;
  private FlowBus bus;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    bus = join(FlowBus.create(vertx));
  }

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  private Future<String> deploy(String rules) {
    return vertx.deployVerticle(new FilterVerticle(),
      new DeploymentOptions().setConfig(new FilterOptions().setName("site").setRules(new JsonArray(rules)).toJson()));
  }

  @Test
  void givenAForwardRule_whenAQos1MessageIsPublished_thenTheSubscriberOfTheRewrittenTopicHasItBeforeThePublishCompletes() throws Exception {
    join(deploy("[{\"name\":\"hot\",\"topic\":\"site/+/temp\",\"when\":{\"field\":\"c\",\"op\":\"gt\",\"value\":30},"
      + "\"actions\":[{\"type\":\"setHeaders\",\"headers\":{\"alert\":\"hot\"}},{\"type\":\"forward\",\"topic\":\"site/{1}/alerts\"}]}]"));
    List<String> alerts = new CopyOnWriteArrayList<>();
    join(bus.subscribe("site/+/alerts", m -> alerts.add(m.topic() + " " + m.payload() + " " + m.header("alert"))));
    join(bus.publish(FlowMessage.builder("site/7/temp").payload("{\"c\":20}").qos(QoS.AT_LEAST_ONCE).build()));
    join(bus.publish(FlowMessage.builder("site/7/temp").payload("{\"c\":31}").qos(QoS.AT_LEAST_ONCE).build()));
    assertEquals(List.of("site/7/alerts {\"c\":31} hot"), alerts);
    assertEquals(1.0, FlowMetrics.registry(vertx).find("flowsdk_filter_actions_total")
      .tags("filter", "site", "rule", "hot", "action", "forward", "result", "forwarded").counter().count());
  }

  @Test
  void givenARuleForwardingOntoItsOwnFilter_whenAMessageArrives_thenItIsForwardedOnceAndNotAgain() throws Exception {
    join(deploy("[{\"name\":\"loop\",\"topic\":\"a/#\",\"actions\":[{\"type\":\"forward\",\"topic\":\"a/{0}/again\"}]}]"));
    List<String> seen = new CopyOnWriteArrayList<>();
    join(bus.subscribe("a/#", m -> seen.add(m.topic())));
    join(bus.publish(FlowMessage.builder("a/1").qos(QoS.AT_LEAST_ONCE).build()));
    await().until(() -> seen.size() >= 2);
    assertEquals(List.of("a/1", "a/a/again"), seen.stream().sorted().toList());
  }

  @Test
  void givenAnInvalidRule_whenDeployed_thenDeploymentFailsWithThePathAndNoMeterIsLeft() {
    var e = failure(deploy("[{\"name\":\"ok\",\"topic\":\"a\",\"actions\":[{\"type\":\"drop\"}]},"
      + "{\"name\":\"bad\",\"topic\":\"b\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":0}]}]"));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("invalid filter rule at rules[1].actions[0].perSecond: must be a number above 0, not 0", e.getMessage());
    assertNull(FlowMetrics.registry(vertx).find("flowsdk_filter_matched_total").counter());
  }

  @Test
  void givenADeployedFilter_whenUndeployed_thenItsMetersAreRemoved() throws Exception {
    String id = join(deploy("[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"drop\"}]}]"));
    join(vertx.undeploy(id));
    assertNull(FlowMetrics.registry(vertx).find("flowsdk_filter_matched_total").counter());
  }
}
