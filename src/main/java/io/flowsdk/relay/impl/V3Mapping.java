package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.relay.proto.v3.Connack;
import io.flowsdk.relay.proto.v3.Connect;
import io.flowsdk.relay.proto.v3.Disconnect;
import io.flowsdk.relay.proto.v3.MqttPacket;
import io.flowsdk.relay.proto.v3.Pingreq;
import io.flowsdk.relay.proto.v3.Pingresp;
import io.flowsdk.relay.proto.v3.Puback;
import io.flowsdk.relay.proto.v3.Pubcomp;
import io.flowsdk.relay.proto.v3.Publish;
import io.flowsdk.relay.proto.v3.Pubrec;
import io.flowsdk.relay.proto.v3.Pubrel;
import io.flowsdk.relay.proto.v3.Suback;
import io.flowsdk.relay.proto.v3.Subscribe;
import io.flowsdk.relay.proto.v3.TopicSubscription;
import io.flowsdk.relay.proto.v3.Unsuback;
import io.flowsdk.relay.proto.v3.Unsubscribe;
import io.flowsdk.relay.proto.v3.Will;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;

import java.util.ArrayList;
import java.util.List;

import static io.flowsdk.relay.impl.NettyPackets.fixed;
import static io.flowsdk.relay.impl.NettyPackets.messageId;

/** MQTT 3.1 and 3.1.1 packets between Netty's codec and {@code mqttv3.MqttPacket}, every field kept. */
final class V3Mapping {

  private V3Mapping() {
  }

  static MqttPacket toProto(MqttMessage packet) {
    MqttPacket.Builder out = MqttPacket.newBuilder();
    MqttMessageType type = packet.fixedHeader().messageType();
    switch (type) {
      case CONNECT: return out.setConnect(connect((MqttConnectMessage) packet)).build();
      case CONNACK: {
        MqttConnAckVariableHeader h = ((MqttConnAckMessage) packet).variableHeader();
        return out.setConnack(Connack.newBuilder().setSessionPresent(h.isSessionPresent())
          .setReturnCode(connackCode(h.connectReturnCode().byteValue() & 0xFF))).build();
      }
      case PUBLISH: {
        MqttPublishMessage m = (MqttPublishMessage) packet;
        MqttFixedHeader f = m.fixedHeader();
        return out.setPublish(Publish.newBuilder()
          .setTopic(m.variableHeader().topicName())
          .setMessageId(Math.max(0, m.variableHeader().packetId()))
          .setQosValue(f.qosLevel().value())
          .setRetain(f.isRetain())
          .setDup(f.isDup())
          .setPayload(Bytes.of(m.payload()))).build();
      }
      case PUBACK: return out.setPuback(Puback.newBuilder().setMessageId(messageId(packet))).build();
      case PUBREC: return out.setPubrec(Pubrec.newBuilder().setMessageId(messageId(packet))).build();
      case PUBREL: return out.setPubrel(Pubrel.newBuilder().setMessageId(messageId(packet))).build();
      case PUBCOMP: return out.setPubcomp(Pubcomp.newBuilder().setMessageId(messageId(packet))).build();
      case SUBSCRIBE: {
        MqttSubscribeMessage m = (MqttSubscribeMessage) packet;
        Subscribe.Builder b = Subscribe.newBuilder().setMessageId(m.variableHeader().messageId());
        for (MqttTopicSubscription s : m.payload().topicSubscriptions()) {
          b.addSubscriptions(TopicSubscription.newBuilder().setTopicFilter(s.topicFilter())
            .setQos(s.qualityOfService().value()));
        }
        return out.setSubscribe(b).build();
      }
      case SUBACK: {
        MqttSubAckMessage m = (MqttSubAckMessage) packet;
        return out.setSuback(Suback.newBuilder().setMessageId(m.variableHeader().messageId())
          .addAllReturnCodes(subackCodes(m.payload().reasonCodes()))).build();
      }
      case UNSUBSCRIBE: {
        MqttUnsubscribeMessage m = (MqttUnsubscribeMessage) packet;
        return out.setUnsubscribe(Unsubscribe.newBuilder().setMessageId(m.variableHeader().messageId())
          .addAllTopicFilters(m.payload().topics())).build();
      }
      case UNSUBACK: return out.setUnsuback(Unsuback.newBuilder().setMessageId(messageId(packet))).build();
      case PINGREQ: return out.setPingreq(Pingreq.getDefaultInstance()).build();
      case PINGRESP: return out.setPingresp(Pingresp.getDefaultInstance()).build();
      case DISCONNECT: return out.setDisconnect(Disconnect.getDefaultInstance()).build();
      default:
        throw NettyPackets.unsupported(type, "3.1.1");
    }
  }

  private static Connect connect(MqttConnectMessage m) {
    MqttConnectVariableHeader h = m.variableHeader();
    MqttConnectPayload p = m.payload();
    Connect.Builder b = Connect.newBuilder()
      .setClientId(p.clientIdentifier())
      .setProtocolName(h.name())
      .setProtocolVersion(h.version())
      .setCleanSession(h.isCleanSession())
      .setKeepAlive(h.keepAliveTimeSeconds());
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
        .setRetain(h.isWillRetain()));
    }
    return b.build();
  }

  static MqttMessage fromProto(MqttPacket packet) {
    switch (packet.getPacketCase()) {
      case CONNECT: return connect(packet.getConnect());
      case CONNACK: {
        Connack c = packet.getConnack();
        return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK), new MqttConnAckVariableHeader(
          MqttConnectReturnCode.valueOf((byte) connackCode(c.getReturnCode())), c.getSessionPresent()));
      }
      case PUBLISH: {
        Publish p = packet.getPublish();
        return NettyPackets.publish(p.getTopic(), p.getQosValue(), p.getMessageId(), p.getDup(), p.getRetain(),
          MqttProperties.NO_PROPERTIES, p.getPayload());
      }
      case PUBACK: return idOnly(MqttMessageType.PUBACK, packet.getPuback().getMessageId());
      case PUBREC: return idOnly(MqttMessageType.PUBREC, packet.getPubrec().getMessageId());
      case PUBREL: return idOnly(MqttMessageType.PUBREL, packet.getPubrel().getMessageId());
      case PUBCOMP: return idOnly(MqttMessageType.PUBCOMP, packet.getPubcomp().getMessageId());
      case SUBSCRIBE: {
        Subscribe s = packet.getSubscribe();
        List<MqttTopicSubscription> subs = new ArrayList<>(s.getSubscriptionsCount());
        for (TopicSubscription t : s.getSubscriptionsList()) {
          subs.add(new MqttTopicSubscription(t.getTopicFilter(), NettyPackets.qos(t.getQos())));
        }
        return new MqttSubscribeMessage(fixed(MqttMessageType.SUBSCRIBE),
          MqttMessageIdVariableHeader.from(s.getMessageId()), new MqttSubscribePayload(subs));
      }
      case SUBACK: {
        Suback s = packet.getSuback();
        return new MqttSubAckMessage(fixed(MqttMessageType.SUBACK), MqttMessageIdVariableHeader.from(s.getMessageId()),
          new MqttSubAckPayload(subackCodes(s.getReturnCodesList())));
      }
      case UNSUBSCRIBE: {
        Unsubscribe u = packet.getUnsubscribe();
        return new MqttUnsubscribeMessage(fixed(MqttMessageType.UNSUBSCRIBE),
          MqttMessageIdVariableHeader.from(u.getMessageId()), new MqttUnsubscribePayload(u.getTopicFiltersList()));
      }
      case UNSUBACK:
        return new MqttUnsubAckMessage(fixed(MqttMessageType.UNSUBACK),
          MqttMessageIdVariableHeader.from(packet.getUnsuback().getMessageId()));
      case PINGREQ: return new MqttMessage(fixed(MqttMessageType.PINGREQ));
      case PINGRESP: return new MqttMessage(fixed(MqttMessageType.PINGRESP));
      case DISCONNECT: return new MqttMessage(fixed(MqttMessageType.DISCONNECT));
      default:
        throw new FlowException(FlowError.PROTOCOL_ERROR, "an mqttv3.MqttPacket without a packet");
    }
  }

  /** @throws FlowException PROTOCOL_ERROR for a code MQTT 3.1.1 does not have (5.0's, 0x80 and up) */
  private static int connackCode(int code) {
    if (code > 5) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "CONNACK return code 0x" + Integer.toHexString(code)
        + " is not one of MQTT 3.1.1 (0 to 5, 3.2.2.3)");
    }
    return code;
  }

  /** @throws FlowException PROTOCOL_ERROR for a code MQTT 3.1.1 does not have (0, 1, 2 and 0x80 only) */
  private static List<Integer> subackCodes(List<Integer> codes) {
    for (int code : codes) {
      if (code > 2 && code != 0x80) {
        throw new FlowException(FlowError.PROTOCOL_ERROR, "SUBACK return code 0x" + Integer.toHexString(code)
          + " is not one of MQTT 3.1.1 (0x00, 0x01, 0x02, 0x80; MQTT-3.9.3-2)");
      }
    }
    return codes;
  }

  private static MqttMessage idOnly(MqttMessageType type, int id) {
    return new MqttMessage(fixed(type), MqttMessageIdVariableHeader.from(id));
  }

  private static MqttConnectMessage connect(Connect c) {
    String username = NettyPackets.username(c.getUsername(), c.getEmptyUsername());
    byte[] password = NettyPackets.password(c.getPassword(), c.getEmptyPassword());
    boolean hasWill = c.hasWill();
    Will w = c.getWill();
    MqttConnectVariableHeader header = new MqttConnectVariableHeader(c.getProtocolName(), c.getProtocolVersion(),
      username != null, password != null, hasWill && w.getRetain(), hasWill ? w.getQosValue() : 0, hasWill,
      c.getCleanSession(), c.getKeepAlive());
    MqttConnectPayload payload = new MqttConnectPayload(c.getClientId(), MqttProperties.NO_PROPERTIES,
      hasWill ? w.getTopic() : null, hasWill ? w.getPayload().toByteArray() : null, username, password);
    return new MqttConnectMessage(fixed(MqttMessageType.CONNECT), header, payload);
  }
}
