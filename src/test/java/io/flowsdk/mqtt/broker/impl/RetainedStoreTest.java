package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.util.Contexts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetainedStoreTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  /** The meters of the store opened last. */
  private SimpleMeterRegistry registry;

  @AfterEach
  void close() throws Exception {
    join(vertx.close());
  }

  private RetainedStore open(MqttBrokerOptions options) throws Exception {
    registry = new SimpleMeterRegistry();
    BrokerMeters meters = new BrokerMeters(registry);
    return join(Contexts.call(context, () -> RetainedStore.open(vertx, context, options, meters)));
  }

  private static List<String> payloads(List<FlowMessage> messages) {
    return messages.stream().map(m -> m.topic() + "=" + m.payload()).sorted().collect(Collectors.toList());
  }

  private static FlowMessage retained(String topic, String payload) {
    return FlowMessage.builder(topic).payload(payload).retain(true).build();
  }

  @Test
  void givenRetainedMessages_whenReplacedAndCleared_thenMatchingSeesOnlyTheLatestOfEachTopic() throws Exception {
    RetainedStore store = open(new MqttBrokerOptions());
    join(store.retain(retained("a/1", "old")));
    join(store.retain(retained("a/1", "new")));
    join(store.retain(retained("a/2", "two")));
    join(store.retain(retained("b/1", "other")));
    assertEquals(List.of("a/1=new", "a/2=two"), payloads(join(store.matching("a/+", System.currentTimeMillis()))));

    join(store.retain(FlowMessage.builder("a/2").retain(true).build()));
    assertEquals(List.of("a/1=new"), payloads(join(store.matching("a/#", System.currentTimeMillis()))));
  }

  @Test
  void givenAnExpiringRetainedMessage_whenItsExpiryRanOut_thenItIsNotMatched() throws Exception {
    RetainedStore store = open(new MqttBrokerOptions());
    long now = System.currentTimeMillis();
    join(store.retain(FlowMessage.builder("e/1").payload("x").retain(true).messageExpiry(5).timestamp(now).build()));
    assertEquals(1, join(store.matching("e/1", now + 4_000)).size());
    assertEquals(0, join(store.matching("e/1", now + 5_000)).size());
  }

  @Test
  void givenAMessageWithEveryField_whenStoredAndRead_thenEveryFieldIsKept() throws Exception {
    RetainedStore store = open(new MqttBrokerOptions());
    FlowMessage m = FlowMessage.builder("f/1").payload("p").qos(QoS.EXACTLY_ONCE).retain(true).messageExpiry(60)
      .priority(7).contentType("text/plain").responseTopic("f/reply").correlationData(Buffer.buffer("c"))
      .payloadFormat(PayloadFormat.UTF8).header("k", "v").header("k", "w").origin(new FlowOrigin("n", "mqtt-broker", "c1"))
      .build();
    join(store.retain(m));
    assertEquals(m, join(store.matching("f/1", System.currentTimeMillis())).get(0));
  }

  private static FlowError refusal(RetainedStore store, FlowMessage m) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> join(store.admit(m)));
    assertTrue(e.getCause() instanceof RetainedStore.Refused, String.valueOf(e.getCause()));
    return ((FlowException) e.getCause()).error();
  }

  private double refused(String limit) {
    return registry.get("flowsdk_mqtt_broker_retained_refused_total").tag("limit", limit).counter().count();
  }

  @Test
  void givenAByteCap_whenANewTopicWouldPassIt_thenItIsRefusedButReplacingClearingAndSysPass() throws Exception {
    // each message counts its topic's bytes plus its payload's: "b/1" + 7 bytes = 10
    RetainedStore store = open(new MqttBrokerOptions().setMaxRetainedBytes(25));
    join(store.admit(retained("b/1", "1234567")));
    join(store.retain(retained("b/1", "1234567")));
    join(store.retain(retained("b/2", "1234567")));
    assertEquals(FlowError.OVERLOADED, refusal(store, retained("b/3", "123456"))); // 20 + 9 > 25
    assertEquals(1.0, refused("bytes"));
    join(store.admit(retained("b/3", "12"))); // 20 + 5 = 25: at the cap, not past it
    join(store.admit(retained("b/1", "a much longer payload than before"))); // replacing passes
    join(store.admit(FlowMessage.builder("b/4").retain(true).build()));        // clearing passes
    join(store.admit(retained("$SYS/broker/nodes/n/uptime", "a long figure past the cap")));
    assertEquals(1.0, refused("bytes"));
    assertEquals(0.0, refused("messages"));
    join(store.retain(FlowMessage.builder("b/2").retain(true).build()));
    join(store.admit(retained("b/3", "123456"))); // room again once one is cleared
    assertEquals(10.0, registry.get("flowsdk_mqtt_broker_retained_bytes").gauge().value());
    assertEquals(1.0, registry.get("flowsdk_mqtt_broker_retained_messages").gauge().value());
  }

  @Test
  void givenAMessageCap_whenANewTopicComesAtIt_thenItIsRefusedAndCountedByItsLimit() throws Exception {
    RetainedStore store = open(new MqttBrokerOptions().setMaxRetainedMessages(1));
    join(store.retain(retained("m/1", "x")));
    assertEquals(FlowError.OVERLOADED, refusal(store, retained("m/2", "x")));
    assertEquals(1.0, refused("messages"));
    join(store.admit(retained("m/1", "y")));
  }

  @Test
  void givenAStoreFile_whenTheStoreIsOpenedAgain_thenItsRetainedMessagesAndClearsAreThere() throws Exception {
    MqttBrokerOptions options = new MqttBrokerOptions().setRetainedStorePath(dir.resolve("retained.mv").toString());
    RetainedStore first = open(options);
    join(first.retain(retained("s/1", "kept")));
    join(first.retain(retained("s/2", "cleared")));
    join(first.retain(FlowMessage.builder("s/2").retain(true).build()));
    join(first.retain(retained("s/3", "three")));
    join(first.close());

    RetainedStore second = open(options);
    assertEquals(List.of("s/1=kept", "s/3=three"), payloads(join(second.matching("s/#", System.currentTimeMillis()))));
    assertEquals(2.0, registry.get("flowsdk_mqtt_broker_retained_messages").gauge().value());
    join(second.close());
  }
}
