package io.flowsdk.mqtt.broker;

import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.testing.PacketSummary;
import io.flowsdk.mqtt.testing.RawMqttClient;
import io.flowsdk.mqtt.testing.RawPacket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-node and per-client limits on raw connections: each answered with the protocol's code and counted. */
class MqttBrokerQuotaTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort().setMaxConnections(3).setMaxClientIdLength(23).setMaxTopicLength(32)
      .setMaxTopicLevels(4).setMaxSubscriptionsPerClient(2).setPublishRatePerSecond(1).setPublishBurst(5));
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  private static double counted(String meter, String tag, String value) throws Exception {
    Counter c = FlowMetrics.registry(peers.vertx).counter(meter, tag, value);
    return c.count();
  }

  private static RawMqttClient raw(boolean v5) throws Exception {
    return join(RawMqttClient.connect(peers.vertx, "127.0.0.1", peers.port, v5));
  }

  /** Sends a CONNECT of {@code clientId} and returns the CONNACK as "CONNACK 0xNN". */
  private static String connect(RawMqttClient client, boolean v5, String clientId) throws Exception {
    join(client.send((v5 ? RawPacket.v5() : RawPacket.v311()).connect().clientId(clientId).build()));
    return next(client);
  }

  private static String next(RawMqttClient client) throws Exception {
    return PacketSummary.of(join(client.next(Duration.ofSeconds(5)))).toString();
  }

  @ParameterizedTest
  @CsvSource({"true, CONNACK 0x97", "false, CONNACK 0x03"})
  void givenThreeClientsConnectedAndALimitOfThree_whenAFourthConnects_thenItIsRefusedAndCounted(boolean v5, String refusal) throws Exception {
    Gauge connections = FlowMetrics.registry(peers.vertx).get("flowsdk_mqtt_broker_connections").gauge();
    await().until(() -> connections.value() == 0);
    double before = counted("flowsdk_mqtt_broker_connect_refused_total", "reason", "max_connections");
    List<RawMqttClient> three = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawMqttClient c = raw(v5);
        three.add(c);
        assertEquals("CONNACK 0x00", connect(c, v5, "quota-" + v5 + i));
      }
      RawMqttClient fourth = raw(v5);
      three.add(fourth);
      assertEquals(refusal, connect(fourth, v5, "quota-fourth"));
      join(fourth.awaitClose(Duration.ofSeconds(5)));
      assertEquals(before + 1, counted("flowsdk_mqtt_broker_connect_refused_total", "reason", "max_connections"));
    } finally {
      for (RawMqttClient c : three) {
        join(c.close());
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"true, CONNACK 0x85", "false, CONNACK 0x02"})
  void givenAClientIdLongerThan23_thenTheConnectIsRefusedWithClientIdentifierNotValid(boolean v5, String refusal) throws Exception {
    RawMqttClient client = raw(v5);
    try {
      assertEquals(refusal, connect(client, v5, "a-client-id-of-24-chars!"));
      join(client.awaitClose(Duration.ofSeconds(5)));
    } finally {
      join(client.close());
    }
  }

  @ParameterizedTest
  @CsvSource({"true, PUBACK 0x90, 0x8F", "false, PUBACK 0x00, 0x80"})
  void givenTopicLimits_whenAPublishIsTooLongOrDeepAndASubscribeTooDeep_thenEachIsRefusedAndTheConnectionStays(boolean v5,
    String publishAnswer, String subscribeCode) throws Exception {
    double before = counted("flowsdk_mqtt_broker_limit_exceeded_total", "limit", "topic");
    RawMqttClient client = raw(v5);
    try {
      assertEquals("CONNACK 0x00", connect(client, v5, "topics-" + v5));
      var packets = v5 ? RawPacket.v5() : RawPacket.v311();
      join(client.send(packets.publish().topic("x".repeat(33)).qos(1).packetId(1).payload("p").build()));
      assertEquals(publishAnswer, next(client));
      join(client.send(packets.publish().topic("a/b/c/d/e").qos(1).packetId(2).payload("p").build()));
      assertEquals(publishAnswer, next(client));
      join(client.send(packets.subscribe().packetId(3).filter("a/b/c/d/#", 1).filter("a/b/c/#", 1).build()));
      assertEquals(List.of(Integer.decode(subscribeCode), 1), ((MqttSubAckMessage) join(client.next(Duration.ofSeconds(5))))
        .payload().reasonCodes());
      assertEquals(before + 3, counted("flowsdk_mqtt_broker_limit_exceeded_total", "limit", "topic"));
    } finally {
      join(client.close());
    }
  }

  @ParameterizedTest
  @CsvSource({"true, 0x97", "false, 0x80"})
  void givenALimitOfTwoSubscriptions_whenAThirdComes_thenItIsRefusedButRenewingOneIsNot(boolean v5, String quotaCode) throws Exception {
    RawMqttClient client = raw(v5);
    try {
      assertEquals("CONNACK 0x00", connect(client, v5, "subs-" + v5));
      var packets = v5 ? RawPacket.v5() : RawPacket.v311();
      join(client.send(packets.subscribe().packetId(1).filter("s/1", 1).filter("s/2", 1).filter("s/3", 1).build()));
      assertEquals(List.of(1, 1, Integer.decode(quotaCode)),
        ((MqttSubAckMessage) join(client.next(Duration.ofSeconds(5)))).payload().reasonCodes());
      join(client.send(packets.subscribe().packetId(2).filter("s/2", 0).build()));
      assertEquals(List.of(0), ((MqttSubAckMessage) join(client.next(Duration.ofSeconds(5)))).payload().reasonCodes());
    } finally {
      join(client.close());
    }
  }

  @ParameterizedTest
  @CsvSource({"true, DISCONNECT 0x96", "false, "})
  void givenARateOf1PerSecondWithABurstOf5_whenTenPublishesComeAtOnce_thenTheConnectionIsClosed(boolean v5, String answer) throws Exception {
    double before = counted("flowsdk_mqtt_broker_limit_exceeded_total", "limit", "publish_rate");
    RawMqttClient client = raw(v5);
    try {
      assertEquals("CONNACK 0x00", connect(client, v5, "rate-" + v5));
      RawPacket publish = (v5 ? RawPacket.v5() : RawPacket.v311()).publish().topic("rate/t").qos(0).payload("p").build();
      RawPacket[] ten = new RawPacket[10];
      Arrays.fill(ten, publish);
      join(client.send(ten));
      if (answer != null) {
        assertEquals(answer, next(client));
      }
      join(client.awaitClose(Duration.ofSeconds(5)));
      assertEquals(before + 1, counted("flowsdk_mqtt_broker_limit_exceeded_total", "limit", "publish_rate"));
    } finally {
      join(client.close());
    }
  }
}
