package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.relay.proto.v5.Auth;
import io.flowsdk.relay.proto.v5.Connack;
import io.flowsdk.relay.proto.v5.Connect;
import io.flowsdk.relay.proto.v5.Disconnect;
import io.flowsdk.relay.proto.v5.MqttPacket;
import io.flowsdk.relay.proto.v5.Pingreq;
import io.flowsdk.relay.proto.v5.Pingresp;
import io.flowsdk.relay.proto.v5.Property;
import io.flowsdk.relay.proto.v5.Puback;
import io.flowsdk.relay.proto.v5.Pubcomp;
import io.flowsdk.relay.proto.v5.Publish;
import io.flowsdk.relay.proto.v5.Pubrec;
import io.flowsdk.relay.proto.v5.Pubrel;
import io.flowsdk.relay.proto.v5.Suback;
import io.flowsdk.relay.proto.v5.Subscribe;
import io.flowsdk.relay.proto.v5.TopicSubscription;
import io.flowsdk.relay.proto.v5.Unsuback;
import io.flowsdk.relay.proto.v5.Unsubscribe;
import io.flowsdk.relay.proto.v5.Will;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.relay.impl.NettyPackets.fixed;
import static io.flowsdk.relay.impl.NettyPackets.messageId;
import static io.flowsdk.relay.impl.PropertyMapping.properties;

/** MQTT 5.0 packets between Netty's codec and {@code mqttv5.MqttPacket}, every field and property kept. */
final class V5Mapping {

  private V5Mapping() {
  }

  static MqttPacket toProto(MqttMessage packet) {
    MqttPacket.Builder out = MqttPacket.newBuilder();
    MqttMessageType type = packet.fixedHeader().messageType();
    switch (type) {
      case CONNECT: return out.setConnect(connect((MqttConnectMessage) packet)).build();
      case CONNACK: {
        MqttConnAckVariableHeader h = ((MqttConnAckMessage) packet).variableHeader();
        return out.setConnack(Connack.newBuilder().setSessionPresent(h.isSessionPresent())
          .setReasonCode(h.connectReturnCode().byteValue() & 0xFF)
          .addAllProperties(properties(h.properties()))).build();
      }
      case PUBLISH: return out.setPublish(publish((MqttPublishMessage) packet)).build();
      case PUBACK: {
        Reply r = Reply.of(packet);
        return out.setPuback(Puback.newBuilder().setMessageId(r.id).setReasonCode(r.code).addAllProperties(r.props)).build();
      }
      case PUBREC: {
        Reply r = Reply.of(packet);
        return out.setPubrec(Pubrec.newBuilder().setMessageId(r.id).setReasonCode(r.code).addAllProperties(r.props)).build();
      }
      case PUBREL: {
        Reply r = Reply.of(packet);
        return out.setPubrel(Pubrel.newBuilder().setMessageId(r.id).setReasonCode(r.code).addAllProperties(r.props)).build();
      }
      case PUBCOMP: {
        Reply r = Reply.of(packet);
        return out.setPubcomp(Pubcomp.newBuilder().setMessageId(r.id).setReasonCode(r.code).addAllProperties(r.props)).build();
      }
      case SUBSCRIBE: return out.setSubscribe(subscribe((MqttSubscribeMessage) packet)).build();
      case SUBACK: {
        MqttSubAckMessage m = (MqttSubAckMessage) packet;
        return out.setSuback(Suback.newBuilder().setMessageId(m.variableHeader().messageId())
          .addAllReasonCodes(m.payload().reasonCodes())
          .addAllProperties(properties(m.idAndPropertiesVariableHeader().properties()))).build();
      }
      case UNSUBSCRIBE: {
        MqttUnsubscribeMessage m = (MqttUnsubscribeMessage) packet;
        return out.setUnsubscribe(Unsubscribe.newBuilder().setMessageId(m.variableHeader().messageId())
          .addAllTopicFilters(m.payload().topics())
          .addAllProperties(properties(m.idAndPropertiesVariableHeader().properties()))).build();
      }
      case UNSUBACK: {
        MqttUnsubAckMessage m = (MqttUnsubAckMessage) packet;
        Unsuback.Builder b = Unsuback.newBuilder().setMessageId(m.variableHeader().messageId())
          .addAllProperties(properties(m.idAndPropertiesVariableHeader().properties()));
        if (m.payload() != null) {
          m.payload().unsubscribeReasonCodes().forEach(code -> b.addReasonCodes(code & 0xFF));
        }
        return out.setUnsuback(b).build();
      }
      case PINGREQ: return out.setPingreq(Pingreq.getDefaultInstance()).build();
      case PINGRESP: return out.setPingresp(Pingresp.getDefaultInstance()).build();
      case DISCONNECT: {
        MqttReasonCodeAndPropertiesVariableHeader h = NettyPackets.reasonHeader(packet);
        Disconnect.Builder b = Disconnect.newBuilder();
        if (h != null) {
          b.setReasonCode(h.reasonCode() & 0xFF).addAllProperties(properties(h.properties()));
        }
        return out.setDisconnect(b).build();
      }
      case AUTH: {
        MqttReasonCodeAndPropertiesVariableHeader h = NettyPackets.reasonHeader(packet);
        Auth.Builder b = Auth.newBuilder();
        if (h != null) {
          b.setReasonCode(h.reasonCode() & 0xFF).addAllProperties(properties(h.properties()));
        }
        return out.setAuth(b).build();
      }
      default:
        throw NettyPackets.unsupported(type, "5.0");
    }
  }

  private static Connect connect(MqttConnectMessage m) {
    MqttConnectVariableHeader h = m.variableHeader();
    MqttConnectPayload p = m.payload();
    Connect.Builder b = Connect.newBuilder()
      .setClientId(p.clientIdentifier())
      .setProtocolName(h.name())
      .setProtocolVersion(h.version())
      .setCleanStart(h.isCleanSession())
      .setKeepAlive(h.keepAliveTimeSeconds())
      .addAllProperties(properties(h.properties()));
    if (h.hasUserName()) {
      b.setUsername(p.userName()).setEmptyUsername(p.userName().isEmpty());
    }
    if (h.hasPassword()) {
      byte[] password = p.passwordInBytes();
      b.setPassword(Bytes.of(password)).setEmptyPassword(password.length == 0);
    }
    if (h.isWillFlag()) {
      b.setWill(Will.newBuilder()
        .setTopic(p.willTopic())
        .setPayload(Bytes.of(p.willMessageInBytes()))
        .setQosValue(h.willQos())
        .setRetain(h.isWillRetain())
        .addAllProperties(properties(p.willProperties())));
    }
    return b.build();
  }

  private static Publish publish(MqttPublishMessage m) {
    MqttFixedHeader f = m.fixedHeader();
    MqttPublishVariableHeader h = m.variableHeader();
    return Publish.newBuilder()
      .setTopic(h.topicName())
      .setMessageId(Math.max(0, h.packetId()))
      .setQosValue(f.qosLevel().value())
      .setRetain(f.isRetain())
      .setDup(f.isDup())
      .setPayload(Bytes.of(m.payload()))
      .addAllProperties(properties(h.properties()))
      .build();
  }

  private static Subscribe subscribe(MqttSubscribeMessage m) {
    Subscribe.Builder b = Subscribe.newBuilder().setMessageId(m.variableHeader().messageId())
      .addAllProperties(properties(m.idAndPropertiesVariableHeader().properties()));
    for (MqttTopicSubscription s : m.payload().topicSubscriptions()) {
      MqttSubscriptionOption o = s.option();
      b.addSubscriptions(TopicSubscription.newBuilder()
        .setTopicFilter(s.topicFilter())
        .setQos(o.qos().value())
        .setNoLocal(o.isNoLocal())
        .setRetainAsPublished(o.isRetainAsPublished())
        .setRetainHandling(o.retainHandling().value()));
    }
    return b.build();
  }

  /** The message id, reason code and properties of PUBACK, PUBREC, PUBREL and PUBCOMP. */
  private static final class Reply {
    final int id;
    final int code;
    final List<Property> props;

    private Reply(int id, int code, List<Property> props) {
      this.id = id;
      this.code = code;
      this.props = props;
    }

    static Reply of(MqttMessage packet) {
      Object h = packet.variableHeader();
      if (h instanceof MqttPubReplyMessageVariableHeader) {
        MqttPubReplyMessageVariableHeader r = (MqttPubReplyMessageVariableHeader) h;
        return new Reply(r.messageId(), r.reasonCode() & 0xFF, properties(r.properties()));
      }
      return new Reply(messageId(packet), 0, List.of());
    }
  }

  static MqttMessage fromProto(MqttPacket packet) {
    switch (packet.getPacketCase()) {
      case CONNECT: return connect(packet.getConnect());
      case CONNACK: {
        Connack c = packet.getConnack();
        return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK), new MqttConnAckVariableHeader(
          MqttConnectReturnCode.valueOf((byte) c.getReasonCode()), c.getSessionPresent(), properties(c.getPropertiesList())));
      }
      case PUBLISH: return publish(packet.getPublish());
      case PUBACK: {
        Puback r = packet.getPuback();
        return reply(MqttMessageType.PUBACK, r.getMessageId(), r.getReasonCode(), r.getPropertiesList());
      }
      case PUBREC: {
        Pubrec r = packet.getPubrec();
        return reply(MqttMessageType.PUBREC, r.getMessageId(), r.getReasonCode(), r.getPropertiesList());
      }
      case PUBREL: {
        Pubrel r = packet.getPubrel();
        return reply(MqttMessageType.PUBREL, r.getMessageId(), r.getReasonCode(), r.getPropertiesList());
      }
      case PUBCOMP: {
        Pubcomp r = packet.getPubcomp();
        return reply(MqttMessageType.PUBCOMP, r.getMessageId(), r.getReasonCode(), r.getPropertiesList());
      }
      case SUBSCRIBE: return subscribe(packet.getSubscribe());
      case SUBACK: {
        Suback s = packet.getSuback();
        return new MqttSubAckMessage(fixed(MqttMessageType.SUBACK),
          new MqttMessageIdAndPropertiesVariableHeader(s.getMessageId(), properties(s.getPropertiesList())),
          new MqttSubAckPayload(s.getReasonCodesList()));
      }
      case UNSUBSCRIBE: {
        Unsubscribe u = packet.getUnsubscribe();
        return new MqttUnsubscribeMessage(fixed(MqttMessageType.UNSUBSCRIBE),
          new MqttMessageIdAndPropertiesVariableHeader(u.getMessageId(), properties(u.getPropertiesList())),
          new MqttUnsubscribePayload(u.getTopicFiltersList()));
      }
      case UNSUBACK: {
        Unsuback u = packet.getUnsuback();
        List<Short> codes = new ArrayList<>(u.getReasonCodesCount());
        u.getReasonCodesList().forEach(code -> codes.add((short) (int) code));
        return new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK),
          new MqttMessageIdAndPropertiesVariableHeader(u.getMessageId(), properties(u.getPropertiesList())),
          new MqttUnsubAckPayload(codes));
      }
      case PINGREQ: return new MqttMessage(fixed(MqttMessageType.PINGREQ));
      case PINGRESP: return new MqttMessage(fixed(MqttMessageType.PINGRESP));
      case DISCONNECT: {
        Disconnect d = packet.getDisconnect();
        return new MqttMessage(fixed(MqttMessageType.DISCONNECT),
          new MqttReasonCodeAndPropertiesVariableHeader((byte) d.getReasonCode(), properties(d.getPropertiesList())));
      }
      case AUTH: {
        Auth a = packet.getAuth();
        return new MqttMessage(fixed(MqttMessageType.AUTH),
          new MqttReasonCodeAndPropertiesVariableHeader((byte) a.getReasonCode(), properties(a.getPropertiesList())));
      }
      default:
        throw new FlowException(FlowError.PROTOCOL_ERROR, "an mqttv5.MqttPacket without a packet");
    }
  }

  private static MqttMessage reply(MqttMessageType type, int id, int code, List<Property> props) {
    return new MqttMessage(fixed(type), new MqttPubReplyMessageVariableHeader(id, (byte) code, properties(props)));
  }

  private static MqttConnectMessage connect(Connect c) {
    String username = NettyPackets.username(c.getUsername(), c.getEmptyUsername());
    byte[] password = NettyPackets.password(c.getPassword(), c.getEmptyPassword());
    boolean hasWill = c.hasWill();
    Will w = c.getWill();
    MqttConnectVariableHeader header = new MqttConnectVariableHeader(c.getProtocolName(), c.getProtocolVersion(),
      username != null, password != null, hasWill && w.getRetain(), hasWill ? w.getQosValue() : 0, hasWill,
      c.getCleanStart(), c.getKeepAlive(), properties(c.getPropertiesList()));
    MqttConnectPayload payload = new MqttConnectPayload(c.getClientId(),
      hasWill ? properties(w.getPropertiesList()) : MqttProperties.NO_PROPERTIES,
      hasWill ? w.getTopic() : null, hasWill ? w.getPayload().toByteArray() : null, username, password);
    return new MqttConnectMessage(fixed(MqttMessageType.CONNECT), header, payload);
  }

  private static MqttPublishMessage publish(Publish p) {
    return NettyPackets.publish(p.getTopic(), p.getQosValue(), p.getMessageId(), p.getDup(), p.getRetain(),
      properties(p.getPropertiesList()), p.getPayload());
  }

  private static MqttSubscribeMessage subscribe(Subscribe s) {
    List<MqttTopicSubscription> subs = new ArrayList<>(s.getSubscriptionsCount());
    for (TopicSubscription t : s.getSubscriptionsList()) {
      subs.add(new MqttTopicSubscription(t.getTopicFilter(), new MqttSubscriptionOption(NettyPackets.qos(t.getQos()),
        t.getNoLocal(), t.getRetainAsPublished(),
        MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(t.getRetainHandling()))));
    }
    return new MqttSubscribeMessage(fixed(MqttMessageType.SUBSCRIBE),
      new MqttMessageIdAndPropertiesVariableHeader(s.getMessageId(), properties(s.getPropertiesList())),
      new MqttSubscribePayload(subs));
  }
}
