package io.flowsdk.mqtt.bridge;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.testing.MosquittoBroker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An independent MQTT peer (the HiveMQ client, 3.1.1 or 5) against the test broker: it subscribes,
 * records what it receives and publishes.
 */
final class HivePeer implements AutoCloseable {

  /** What the peer received: topic, payload, QoS. */
  record Received(String topic, String payload, int qos) {
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Mqtt5AsyncClient v5;
  private final Mqtt3AsyncClient v3;

  private HivePeer(Mqtt5AsyncClient v5, Mqtt3AsyncClient v3) {
    this.v5 = v5;
    this.v3 = v3;
  }

  static HivePeer connect(MosquittoBroker broker, MqttVersion version, String id) throws Exception {
    HivePeer peer;
    if (version == MqttVersion.V5) {
      Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost(broker.host()).serverPort(broker.port()).buildAsync();
      get(c.connect());
      peer = new HivePeer(c, null);
    } else {
      Mqtt3AsyncClient c = Mqtt3Client.builder().identifier(id).serverHost(broker.host()).serverPort(broker.port()).buildAsync();
      get(c.connect());
      peer = new HivePeer(null, c);
    }
    return peer;
  }

  /** The MQTT 5 client itself, for requests and responders. */
  Mqtt5AsyncClient v5() {
    return v5;
  }

  void subscribe(String filter, int qos) throws Exception {
    if (v5 != null) {
      get(v5.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).callback(p -> received.add(
        new Received(p.getTopic().toString(), utf8(p.getPayloadAsBytes()), p.getQos().getCode()))).send());
    } else {
      get(v3.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).callback(p -> received.add(
        new Received(p.getTopic().toString(), utf8(p.getPayloadAsBytes()), p.getQos().getCode()))).send());
    }
  }

  /** Subscribes (MQTT 5) with a callback of its own. */
  void subscribe(String filter, int qos, Consumer<Mqtt5Publish> callback) throws Exception {
    get(v5.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).callback(callback).send());
  }

  void publish(String topic, String payload, int qos) throws Exception {
    if (v5 != null) {
      get(v5.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(StandardCharsets.UTF_8))
        .userProperties().add("via", "hivemq").applyUserProperties().send());
    } else {
      get(v3.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(StandardCharsets.UTF_8)).send());
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (v5 != null) {
      get(v5.disconnect());
    } else {
      get(v3.disconnect());
    }
  }
}
