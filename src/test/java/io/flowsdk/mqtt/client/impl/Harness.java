package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectInfo;
import io.flowsdk.mqtt.client.InboundMessage;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ClientSession} wired to a manual clock, a recording sink and a recording listener, plus
 * builders for the packets a broker sends. Every test feeds packets in and looks at packets and
 * events out; no sockets.
 */
final class Harness implements SessionListener {

  final FakeTimers timers = new FakeTimers();
  final ClientSession session;
  final List<ConnAckInfo> connected = new ArrayList<>();
  final List<DisconnectInfo> disconnected = new ArrayList<>();
  final List<FlowException> errors = new ArrayList<>();
  final List<InboundMessage> messages = new ArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Function<InboundMessage, Future<Void>> handler = m -> Future.succeededFuture();
  Sink sink;

  /** A sink recording what the session writes. */
  static final class Sink implements PacketSink {
    final List<MqttMessage> sent = new ArrayList<>();
    boolean closed;
    boolean writable = true;

    @Override
    public void send(MqttMessage packet) {
      sent.add(packet);
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void close() {
      closed = true;
    }

    /** Removes and returns what was sent so far. */
    List<MqttMessage> take() {
      List<MqttMessage> copy = new ArrayList<>(sent);
      sent.clear();
      return copy;
    }

    MqttMessage only(MqttMessageType type) {
      List<MqttMessage> all = take();
      assertEquals(1, all.size(), "expected exactly one packet, got " + all);
      assertEquals(type, all.get(0).fixedHeader().messageType());
      return all.get(0);
    }
  }

  Harness(MqttClientOptions options) {
    session = new ClientSession(options, timers, this, new ClientMetrics(registry, "test"));
    session.messageHandler(m -> {
      messages.add(m);
      return handler.apply(m);
    });
  }

  /** Opens a connection and returns the connect future; the CONNECT is in {@code sink}. */
  Future<ConnAckInfo> open() {
    sink = new Sink();
    return session.open(sink);
  }

  /** Opens and accepts with a CONNACK carrying {@code props}; clears the sink. */
  ConnAckInfo connect(boolean sessionPresent, MqttProperties props) {
    Future<ConnAckInfo> f = open();
    sink.only(MqttMessageType.CONNECT);
    session.receive(connAck(0, sessionPresent, props));
    assertTrue(f.succeeded(), () -> "connect failed: " + f.cause());
    return f.result();
  }

  ConnAckInfo connect() {
    return connect(false, new MqttProperties());
  }

  /** The socket closes (after the session closed it, or by itself). */
  void socketClosed() {
    session.closed();
  }

  @Override
  public void connected(ConnAckInfo info) {
    connected.add(info);
  }

  @Override
  public void disconnected(DisconnectInfo info) {
    disconnected.add(info);
  }

  @Override
  public void error(FlowException error) {
    errors.add(error);
  }

  static MqttProperties props(int id, Object value) {
    MqttProperties p = new MqttProperties();
    return with(p, id, value);
  }

  static MqttProperties with(MqttProperties p, int id, Object value) {
    if (value instanceof Integer) {
      p.add(new MqttProperties.IntegerProperty(id, (Integer) value));
    } else if (value instanceof String) {
      p.add(new MqttProperties.StringProperty(id, (String) value));
    } else {
      p.add(new MqttProperties.BinaryProperty(id, (byte[]) value));
    }
    return p;
  }

  static MqttMessage connAck(int reason, boolean sessionPresent, MqttProperties props) {
    return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
      new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf((byte) reason), sessionPresent, props));
  }

  static MqttMessage pubReply(MqttMessageType type, int id, int reason) {
    return new MqttMessage(fixed(type, type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE),
      new MqttPubReplyMessageVariableHeader(id, (byte) reason, MqttProperties.NO_PROPERTIES));
  }

  static MqttPublishMessage publish(String topic, int qos, int id, boolean dup, String payload, MqttProperties props) {
    return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), false, 0),
      new MqttPublishVariableHeader(topic, id, props), Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
  }

  static MqttMessage subAck(int id, int... codes) {
    return new MqttSubAckMessage(fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
      new MqttMessageIdAndPropertiesVariableHeader(id, MqttProperties.NO_PROPERTIES), new MqttSubAckPayload(codes));
  }

  static MqttMessage disconnect(int reason, String reasonString) {
    MqttProperties p = new MqttProperties();
    if (reasonString != null) {
      with(p, MqttProperties.REASON_STRING, reasonString);
    }
    return new MqttMessage(fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
      new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, p));
  }

  static MqttMessage auth(int reason, String method, byte[] data) {
    MqttProperties p = props(MqttProperties.AUTHENTICATION_METHOD, method);
    if (data != null) {
      with(p, MqttProperties.AUTHENTICATION_DATA, data);
    }
    return new MqttMessage(fixed(MqttMessageType.AUTH, MqttQoS.AT_MOST_ONCE),
      new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, p));
  }

  static MqttMessage pingResp() {
    return MqttMessage.PINGRESP;
  }

  static MqttMessage malformed(Throwable cause) {
    return new MqttMessage(null, null, null, DecoderResult.failure(cause));
  }

  static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }

  /** The DISCONNECT reason code the session sent. */
  static int reasonOf(MqttMessage disconnect) {
    return ((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode() & 0xFF;
  }

  static <T> Promise<T> promise() {
    return Promise.promise();
  }
}
