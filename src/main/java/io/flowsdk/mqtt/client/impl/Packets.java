package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.MqttWill;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds the packets the client sends, as Netty codec-mqtt messages. */
final class Packets {

  private Packets() {
  }

  static MqttConnectMessage connect(MqttClientOptions o, boolean cleanStart, String authMethod, Buffer authData) {
    boolean v5 = o.getVersion() == MqttVersion.V5;
    MqttProperties props = new MqttProperties();
    if (v5) {
      if (o.getSessionExpiryIntervalSeconds() > 0) {
        MqttProps.putInt(props, MqttProperties.SESSION_EXPIRY_INTERVAL, (int) o.getSessionExpiryIntervalSeconds());
      }
      if (o.getReceiveMaximum() != 65535) {
        MqttProps.putInt(props, MqttProperties.RECEIVE_MAXIMUM, o.getReceiveMaximum());
      }
      MqttProps.putInt(props, MqttProperties.MAXIMUM_PACKET_SIZE, o.getMaximumPacketSize());
      if (o.getTopicAliasMaximum() > 0) {
        MqttProps.putInt(props, MqttProperties.TOPIC_ALIAS_MAXIMUM, o.getTopicAliasMaximum());
      }
      if (o.isRequestResponseInformation()) {
        MqttProps.putInt(props, MqttProperties.REQUEST_RESPONSE_INFORMATION, 1);
      }
      if (!o.isRequestProblemInformation()) {
        MqttProps.putInt(props, MqttProperties.REQUEST_PROBLEM_INFORMATION, 0);
      }
      MqttProps.putUser(props, o.getUserProperties());
      MqttProps.putString(props, MqttProperties.AUTHENTICATION_METHOD, authMethod);
      MqttProps.putBinary(props, MqttProperties.AUTHENTICATION_DATA, authData);
    }
    MqttWill will = o.getWill();
    MqttProperties willProps = new MqttProperties();
    if (will != null && v5) {
      if (will.getDelayIntervalSeconds() > 0) {
        MqttProps.putInt(willProps, MqttProperties.WILL_DELAY_INTERVAL, (int) will.getDelayIntervalSeconds());
      }
      if (will.getMessageExpirySeconds() >= 0) {
        MqttProps.putInt(willProps, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) will.getMessageExpirySeconds());
      }
      if (will.payloadFormat() == PayloadFormat.UTF8) {
        MqttProps.putInt(willProps, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1);
      }
      MqttProps.putString(willProps, MqttProperties.CONTENT_TYPE, will.getContentType());
      MqttProps.putString(willProps, MqttProperties.RESPONSE_TOPIC, will.getResponseTopic());
      if (will.getCorrelationData() != null) {
        MqttProps.putBinary(willProps, MqttProperties.CORRELATION_DATA, Buffer.buffer(will.getCorrelationData()));
      }
      MqttProps.putUser(willProps, will.getUserProperties());
    }
    String username = o.getUsername();
    String password = o.getPassword();
    MqttConnectVariableHeader header = new MqttConnectVariableHeader(
      "MQTT", v5 ? 5 : 4, username != null, password != null,
      will != null && will.isRetain(), will == null ? 0 : will.getQos(), will != null, cleanStart,
      o.getKeepAliveSeconds(), props);
    MqttConnectPayload payload = new MqttConnectPayload(o.getClientId(), willProps,
      will == null ? null : will.getTopic(),
      will == null ? null : will.getPayload().getBytes(StandardCharsets.UTF_8),
      username, password == null ? null : password.getBytes(StandardCharsets.UTF_8));
    return new MqttConnectMessage(new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
      header, payload);
  }

  /**
   * A PUBLISH for {@code request}. {@code topic} is what goes in the topic field (empty when an alias
   * stands for it) and {@code alias} the topic alias to send, or 0.
   */
  static MqttPublishMessage publish(PublishRequest request, int packetId, boolean dup, boolean v5, String topic,
                                    int alias, long messageExpirySeconds) {
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (v5 && hasProperties(request, alias, messageExpirySeconds)) {
      props = new MqttProperties();
      if (alias > 0) {
        MqttProps.putInt(props, MqttProperties.TOPIC_ALIAS, alias);
      }
      if (messageExpirySeconds >= 0) {
        MqttProps.putInt(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) messageExpirySeconds);
      }
      if (request.payloadFormat() == PayloadFormat.UTF8) {
        MqttProps.putInt(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1);
      }
      MqttProps.putString(props, MqttProperties.CONTENT_TYPE, request.contentType());
      MqttProps.putString(props, MqttProperties.RESPONSE_TOPIC, request.responseTopic());
      MqttProps.putBinary(props, MqttProperties.CORRELATION_DATA, request.correlationData());
      MqttProps.putUser(props, request.userProperties());
    }
    MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, dup,
      MqttQoS.valueOf(request.qos().value()), request.retain(), 0);
    return new MqttPublishMessage(fixed, new MqttPublishVariableHeader(topic, packetId, props), payload(request.payload()));
  }

  private static boolean hasProperties(PublishRequest r, int alias, long messageExpirySeconds) {
    return alias > 0 || messageExpirySeconds >= 0 || r.payloadFormat() == PayloadFormat.UTF8 || r.contentType() != null
      || r.responseTopic() != null || r.correlationData() != null || !r.userProperties().isEmpty();
  }

  /** The payload as a ByteBuf the encoder may release without harming the caller's buffer. */
  static ByteBuf payload(Buffer buffer) {
    if (buffer instanceof BufferInternal) {
      return Unpooled.unreleasableBuffer(((BufferInternal) buffer).getByteBuf());
    }
    return Unpooled.wrappedBuffer(buffer.getBytes());
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code (only written on MQTT 5 when not success). */
  static MqttMessage pubReply(MqttMessageType type, int packetId, int reasonCode) {
    MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
      new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
  }

  static MqttSubscribeMessage subscribe(SubscribeRequest request, int packetId, boolean v5) {
    List<MqttTopicSubscription> subs = new ArrayList<>(request.subscriptions().size());
    for (Subscription s : request.subscriptions()) {
      MqttQoS qos = MqttQoS.valueOf(s.qos().value());
      MqttSubscriptionOption option = v5
        ? new MqttSubscriptionOption(qos, s.noLocal(), s.retainAsPublished(),
          MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(s.retainHandling().value()))
        : MqttSubscriptionOption.onlyFromQos(qos);
      subs.add(new MqttTopicSubscription(s.filter(), option));
    }
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (v5 && (request.subscriptionIdentifier() > 0 || !request.userProperties().isEmpty())) {
      props = new MqttProperties();
      if (request.subscriptionIdentifier() > 0) {
        MqttProps.putInt(props, MqttProperties.SUBSCRIPTION_IDENTIFIER, request.subscriptionIdentifier());
      }
      MqttProps.putUser(props, request.userProperties());
    }
    return new MqttSubscribeMessage(new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
      new MqttMessageIdAndPropertiesVariableHeader(packetId, props), new MqttSubscribePayload(subs));
  }

  static MqttUnsubscribeMessage unsubscribe(List<String> filters, int packetId) {
    return new MqttUnsubscribeMessage(new MqttFixedHeader(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
      new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
      new MqttUnsubscribePayload(filters));
  }

  static MqttMessage disconnect(boolean v5, DisconnectReason reason, String reasonString) {
    MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0);
    if (!v5) {
      return new MqttMessage(fixed);
    }
    MqttProperties props = new MqttProperties();
    MqttProps.putString(props, MqttProperties.REASON_STRING, reasonString);
    return new MqttMessage(fixed, new MqttReasonCodeAndPropertiesVariableHeader((byte) reason.code(), props));
  }

  static MqttMessage auth(int reasonCode, String method, Buffer data) {
    MqttProperties props = new MqttProperties();
    MqttProps.putString(props, MqttProperties.AUTHENTICATION_METHOD, method);
    MqttProps.putBinary(props, MqttProperties.AUTHENTICATION_DATA, data);
    return new MqttMessage(new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false, 0),
      new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, props));
  }

  static MqttMessage pingreq() {
    return MqttMessage.PINGREQ;
  }

  static int packetId(MqttMessage packet) {
    return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
  }
}
