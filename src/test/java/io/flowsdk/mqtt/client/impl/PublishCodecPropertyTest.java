package io.flowsdk.mqtt.client.impl;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.PublishRequest;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A PUBLISH built from a {@link PublishRequest}, encoded and decoded by Netty's codec on MQTT 5 and
 * received by the session, arrives as an {@link InboundMessage} with every field intact.
 */
class PublishCodecPropertyTest {

  @Provide
  Arbitrary<String> topics() {
    return Arbitraries.strings().withChars("abcxyz019/_-é").ofMinLength(1).ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().ofMaxLength(20).injectNull(0.3);
  }

  @Property(tries = 200)
  void givenAnyPublishRequest_whenEncodedDecodedAndReceived_thenEveryFieldSurvives(
    @ForAll("topics") String topic,
    @ForAll @Size(max = 300) byte[] payload,
    @ForAll @IntRange(min = 0, max = 2) int qos,
    @ForAll boolean retain,
    @ForAll @IntRange(min = -1, max = 100_000) int expiry,
    @ForAll("texts") String contentType,
    @ForAll("texts") String correlation,
    @ForAll boolean utf8,
    @ForAll @Size(max = 3) List<@Size(max = 8) String> userValues) {
    PublishRequest.Builder b = PublishRequest.builder(topic).payload(Buffer.buffer(payload)).qos(QoS.of(qos))
      .retain(retain).messageExpiry(expiry).contentType(contentType).responseTopic(topic + "/reply")
      .correlationData(correlation == null ? null : Buffer.buffer(correlation))
      .payloadFormat(utf8 ? PayloadFormat.UTF8 : PayloadFormat.UNSPECIFIED);
    List<FlowHeader> headers = new ArrayList<>();
    for (int i = 0; i < userValues.size(); i++) {
      headers.add(new FlowHeader("k" + (i % 2), userValues.get(i)));
    }
    PublishRequest request = b.userProperties(headers).build();

    MqttFraming framing = new MqttFraming(1 << 20);
    framing.encode(Packets.connect(new MqttClientOptions(), true, null, null)); // the codec learns the version
    Buffer wire = framing.encode(Packets.publish(request, qos == 0 ? 0 : 7, false, true, topic, 0,
      request.messageExpirySeconds()));
    Harness h = new Harness(new MqttClientOptions());
    h.connect();
    List<MqttMessage> decoded = new ArrayList<>();
    framing.decode(wire, p -> {
      decoded.add(p);
      h.session.receive(p);
    });
    framing.close();

    assertEquals(1, decoded.size());
    InboundMessage m = h.messages.get(0);
    assertEquals(topic, m.topic());
    assertEquals(Buffer.buffer(payload), m.payload());
    assertEquals(qos, m.qos().value());
    assertEquals(retain, m.retain());
    assertEquals(expiry, m.messageExpirySeconds());
    assertEquals(contentType, m.contentType());
    assertEquals(topic + "/reply", m.responseTopic());
    assertEquals(correlation == null ? null : Buffer.buffer(correlation), m.correlationData());
    assertEquals(request.payloadFormat(), m.payloadFormat());
    assertEquals(headers, m.userProperties());
  }
}
