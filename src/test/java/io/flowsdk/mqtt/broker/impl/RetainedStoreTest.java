package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RetainedStoreTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    join(vertx.close());
  }

  private static List<String> payloads(List<FlowMessage> messages) {
    return messages.stream().map(m -> m.topic() + "=" + m.payload()).sorted().collect(Collectors.toList());
  }

  @Test
  void givenRetainedMessages_whenReplacedAndCleared_thenMatchingSeesOnlyTheLatestOfEachTopic() throws Exception {
    RetainedStore store = join(RetainedStore.open(vertx, "retained-test"));
    join(store.retain(FlowMessage.builder("a/1").payload("old").retain(true).build()));
    join(store.retain(FlowMessage.builder("a/1").payload("new").retain(true).build()));
    join(store.retain(FlowMessage.builder("a/2").payload("two").retain(true).build()));
    join(store.retain(FlowMessage.builder("b/1").payload("other").retain(true).build()));
    assertEquals(List.of("a/1=new", "a/2=two"), payloads(join(store.matching("a/+", System.currentTimeMillis()))));

    join(store.retain(FlowMessage.builder("a/2").retain(true).build()));
    assertEquals(List.of("a/1=new"), payloads(join(store.matching("a/#", System.currentTimeMillis()))));
  }

  @Test
  void givenAnExpiringRetainedMessage_whenItsExpiryRanOut_thenItIsNotMatched() throws Exception {
    RetainedStore store = join(RetainedStore.open(vertx, "retained-expiry"));
    long now = System.currentTimeMillis();
    join(store.retain(FlowMessage.builder("e/1").payload("x").retain(true).messageExpiry(5).timestamp(now).build()));
    assertEquals(1, join(store.matching("e/1", now + 4_000)).size());
    assertEquals(0, join(store.matching("e/1", now + 5_000)).size());
  }

  @Test
  void givenAMessageWithEveryField_whenStoredAndRead_thenEveryFieldIsKept() throws Exception {
    RetainedStore store = join(RetainedStore.open(vertx, "retained-fields"));
    FlowMessage m = FlowMessage.builder("f/1").payload("p").qos(QoS.EXACTLY_ONCE).retain(true).messageExpiry(60)
      .priority(7).contentType("text/plain").responseTopic("f/reply").correlationData(Buffer.buffer("c"))
      .payloadFormat(PayloadFormat.UTF8).header("k", "v").header("k", "w").origin(new FlowOrigin("n", "mqtt-broker", "c1"))
      .build();
    join(store.retain(m));
    assertEquals(m, join(store.matching("f/1", System.currentTimeMillis())).get(0));
  }
}
