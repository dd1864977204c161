package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.QoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The broker with independent peers: {@code mosquitto_pub} and {@code mosquitto_sub}, MQTT 3.1.1 and 5. */
class MqttBrokerMosquittoTest {

  static BrokerPeers peers;

  @BeforeAll
  static void start() throws Exception {
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenMosquittoSub_whenMosquittoPubSendsAtQos012_thenEachArrivesAtTheGrantedQos(String version) throws Exception {
    String topic = "it/qos/" + version;
    Process sub = peers.mosquittoSub(version, topic, "-q", "2", "-C", "3", "-F", "%q %p");
    peers.mosquittoPub(version, "-q", "0", "-t", topic, "-m", "zero");
    peers.mosquittoPub(version, "-q", "1", "-t", topic, "-m", "one");
    peers.mosquittoPub(version, "-q", "2", "-t", topic, "-m", "two");
    assertEquals("0 zero\n1 one\n2 two", BrokerPeers.output(sub));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenAQos1Subscription_whenAQos2MessageArrives_thenItIsDowngradedToQos1(String version) throws Exception {
    String topic = "it/downgrade/" + version;
    Process sub = peers.mosquittoSub(version, topic, "-q", "1", "-C", "1", "-F", "%q %p");
    peers.mosquittoPub(version, "-q", "2", "-t", topic, "-m", "two");
    assertEquals("1 two", BrokerPeers.output(sub));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenARetainedMessageReplacedOnce_whenANewSubscriberComes_thenItGetsTheLatestWithRetainSet(String version) throws Exception {
    String topic = "it/retained/" + version;
    peers.mosquittoPub(version, "-q", "1", "-r", "-t", topic, "-m", "first");
    peers.mosquittoPub(version, "-q", "1", "-r", "-t", topic, "-m", "second");
    Process sub = peers.mosquittoSub(version, topic + "/#", "-q", "1", "-C", "1", "-F", "%r %t %p");
    assertEquals("1 " + topic + " second", BrokerPeers.output(sub));

    peers.mosquittoPub(version, "-q", "1", "-r", "-t", topic, "-n"); // clears it
    Process after = peers.mosquittoSub(version, topic + "/#", "-q", "1", "-C", "1", "-F", "%r %t %p");
    peers.mosquittoPub(version, "-q", "1", "-t", topic, "-m", "live");
    assertEquals("0 " + topic + " live", BrokerPeers.output(after), "the cleared message is not sent again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void givenABusSubscriber_whenMosquittoPubPublishes_thenTheBusHasTheMessageAndABusPublishReachesMosquittoSub(String version)
    throws Exception {
    String topic = "it/bus/" + version;
    CopyOnWriteArrayList<FlowMessage> onBus = new CopyOnWriteArrayList<>();
    join(peers.bus.subscribe(topic + "/up", onBus::add));
    peers.mosquittoPub(version, "-q", "1", "-t", topic + "/up", "-m", "from-mqtt");
    await().until(() -> onBus.size() == 1);
    assertEquals("from-mqtt", onBus.get(0).payload().toString());
    assertEquals(QoS.AT_LEAST_ONCE, onBus.get(0).qos());

    Process sub = peers.mosquittoSub(version, topic + "/down", "-q", "1", "-C", "1", "-F", "%q %p");
    join(peers.bus.publish(FlowMessage.builder(topic + "/down").payload("from-bus").qos(QoS.AT_LEAST_ONCE).build()));
    assertEquals("1 from-bus", BrokerPeers.output(sub));
  }
}
