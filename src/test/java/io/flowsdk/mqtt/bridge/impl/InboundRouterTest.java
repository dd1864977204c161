package io.flowsdk.mqtt.bridge.impl;

import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InboundRouterTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final InboundRouter router = new InboundRouter(new BridgeMeters(registry, "t"));
  final List<String> handled = new ArrayList<>();

  InboundRouterTest() {
    router.add(route("replies/abc", "reply"));
    router.add(route("a/#", "wide"));
    router.add(route("$share/g/a/b", "narrow"));
  }

  private InboundRouter.Route route(String filter, String name) {
    return new InboundRouter.Route(Subscription.of(filter, QoS.AT_LEAST_ONCE), m -> {
      handled.add(name + ":" + m.topic());
      return Future.succeededFuture();
    });
  }

  private static InboundMessage message(String topic, List<Integer> subscriptionIds) {
    return new InboundMessage(topic, Buffer.buffer("x"), QoS.AT_LEAST_ONCE, false, false, -1, null, null, null,
      PayloadFormat.UNSPECIFIED, List.of(), subscriptionIds);
  }

  @Test
  void givenSubscriptionIdentifiers_whenAMessageArrives_thenEveryIdentifiedRouteTakesIt() {
    router.handle(message("a/b", List.of(2, 3)));
    assertEquals(List.of("wide:a/b", "narrow:a/b"), handled);
  }

  @Test
  void givenNoIdentifiers_whenAMessageArrives_thenTheFirstMatchingRouteTakesIt() {
    router.handle(message("a/b", List.of()));
    router.handle(message("replies/abc", List.of()));
    assertEquals(List.of("wide:a/b", "reply:replies/abc"), handled);
  }

  @Test
  void givenNoMatchingRouteOrAnUnknownIdentifier_thenTheMessageIsAcknowledgedAndCountedAsUnrouted() {
    assertEquals(true, router.handle(message("other", List.of())).succeeded());
    assertEquals(true, router.handle(message("a/b", List.of(99))).succeeded());
    assertEquals(List.of(), handled);
    assertEquals(2.0, registry.get("flowsdk.mqtt.bridge.dropped").tag("reason", "unrouted").counter().count());
  }
}
