package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.auth.AccessControl;
import io.flowsdk.mqtt.auth.UserAuthentication;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.util.WriteCoalescing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One client connection of the MQTT proxy and the connection to the broker it opens for it: the
 * client's CONNECT is authenticated, the broker chosen by the client id on the ring (the next on the
 * ring when one refuses or times out), and from then on every packet passes both ways unchanged, except
 * that what the ACL denies or the rate limits forbid never reaches the broker (see {@link ClientRules}).
 * The proxy keeps no MQTT session state: QoS flows, packet ids, session resume and keep-alive are the
 * client's and the broker's. A full broker socket pauses the client, a full client socket pauses the
 * broker, and a client that stays full for {@code slowClientTimeoutMillis} is closed. Lives on one event loop.
 */
final class ProxySession implements EdgeConnection {

  private final ProxySessions shared;
  private final MqttListenerOptions listener;
  private final NetSocketInternal client;
  private final BooleanSupplier atLimit;
  private final Consumer<EdgeConnection> onClose;
  private final long connectTimer;
  private MqttVersion version;
  private ClientRules rules;
  private String brokerName;
  private NetSocketInternal broker;
  /** QoS 2 PUBLISH ids of a 3.1.1 client that the proxy refused and answered with PUBREC: the PUBREL is the proxy's to answer. */
  private final Set<Integer> refusedExactlyOnce = new HashSet<>();
  private long connackTimer = -1;
  private long slowTimer = -1;
  private boolean connackSeen;
  private boolean connackOk;
  private boolean brokerDisconnected;
  private boolean clientDisconnected;
  private boolean counted;
  private boolean closed;

  ProxySession(ProxySessions shared, MqttListenerOptions listener, NetSocketInternal client, BooleanSupplier atLimit,
               Consumer<EdgeConnection> onClose) {
    this.shared = shared;
    this.listener = listener;
    this.client = shared.metrics.countBytes(client);
    this.atLimit = atLimit;
    this.onClose = onClose;
    client.messageHandler(this::fromClient);
    client.closeHandler(v -> closeUntold(""));
    client.exceptionHandler(e -> client.close());
    connectTimer = shared.vertx.setTimer(shared.options.getConnectTimeoutMillis(), t -> {
      if (version == null) {
        shared.metrics.refused();
        closeUntold("no CONNECT within " + shared.options.getConnectTimeoutMillis() + " ms");
      }
    });
  }

  private void fromClient(Object msg) {
    if (closed || !(msg instanceof MqttMessage packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (packet.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      shared.metrics.protocolError();
      close(DisconnectReason.PROTOCOL_ERROR,
        "the client sent an undecodable packet: " + packet.decoderResult().cause().getMessage());
      return;
    }
    if (version == null) {
      connect(packet);
      return;
    }
    switch (packet.fixedHeader().messageType()) {
      case PUBLISH -> publish((MqttPublishMessage) packet);
      case SUBSCRIBE -> subscribe((MqttSubscribeMessage) packet);
      case PUBREL -> {
        if (refusedExactlyOnce.remove(NettyPackets.messageId(packet))) {
          client.writeMessage(new MqttMessage(NettyPackets.fixed(MqttMessageType.PUBCOMP),
            MqttMessageIdVariableHeader.from(NettyPackets.messageId(packet))));
        } else {
          toBroker(packet);
        }
      }
      case DISCONNECT -> {
        clientDisconnected = true;
        toBroker(packet);
      }
      default -> toBroker(packet);
    }
  }

  private void connect(MqttMessage packet) {
    if (packet.fixedHeader().messageType() != MqttMessageType.CONNECT) {
      ReferenceCountUtil.release(packet);
      shared.metrics.protocolError();
      closeUntold("the first packet was " + packet.fixedHeader().messageType() + ", not CONNECT");
      return;
    }
    MqttConnectMessage connect = (MqttConnectMessage) packet;
    version = MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(), (byte) connect.variableHeader().version());
    shared.vertx.cancelTimer(connectTimer);
    if (atLimit.getAsBoolean()) {
      shared.metrics.refused();
      client.writeMessage(StreamMessages.refusal(version, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY,
        MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "the proxy carries its limit of sessions"));
      closeUntold("the proxy carries its limit of " + shared.options.getMaxSessions() + " sessions");
      return;
    }
    counted = true;
    shared.metrics.sessionOpened();
    client.pause();
    byte[] password = connect.payload().passwordInBytes();
    shared.authentication.authenticate(listener, client.sslSession(), connect.payload().userName(),
      password == null ? null : new String(password, StandardCharsets.UTF_8)).onComplete(auth -> {
        if (closed) {
          return;
        }
        if (auth.failed()) {
          boolean bad = auth.cause() instanceof UserAuthentication.Refused r
            && r.refusal == UserAuthentication.Refusal.BAD_CREDENTIALS;
          refuse(bad ? ProxyMeters.Reason.BAD_CREDENTIALS : ProxyMeters.Reason.NOT_AUTHORIZED, auth.cause().getMessage());
          return;
        }
        admit(connect, auth.result());
      });
  }

  /** The client is who it says: its ACL decides its will, then its broker is connected. */
  private void admit(MqttConnectMessage connect, String username) {
    String clientId = connect.payload().clientIdentifier();
    AccessControl.ClientAcl acl = shared.accessControl.forClient(username, clientId);
    if (connect.variableHeader().isWillFlag() && !acl.mayPublish(connect.payload().willTopic())) {
      refuse(ProxyMeters.Reason.NOT_AUTHORIZED,
        "not authorized to publish the will to '" + connect.payload().willTopic() + "'");
      return;
    }
    rules = new ClientRules(acl, version == MqttVersion.MQTT_5, shared.options, System::nanoTime);
    // an empty client id has no session to come back to: any broker will do
    var candidates = shared.candidates(clientId.isEmpty() ? UUID.randomUUID().toString() : clientId);
    if (candidates.isEmpty()) {
      unavailable("every broker failed lately; the first is tried again in " + shared.choice.nextRetryIn() + " ms");
      return;
    }
    connectBroker(candidates.iterator(), new ArrayList<>(), connect);
  }

  private void refuse(ProxyMeters.Reason reason, String why) {
    shared.meters.count(reason);
    shared.metrics.refused();
    client.writeMessage(reason == ProxyMeters.Reason.BAD_CREDENTIALS
      ? StreamMessages.refusal(version, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
        MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, why)
      : StreamMessages.refusal(version, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, why));
    closeUntold(why);
  }

  /** Connects to the next of {@code candidates}; one that refuses or does not answer in time fails over to the next. */
  private void connectBroker(Iterator<UpstreamChoice.Upstream> candidates, List<String> failures,
                             MqttConnectMessage connect) {
    UpstreamChoice.Upstream target = candidates.next();
    shared.brokers.connect(target.address.getPort(), target.address.getHost()).onComplete(ar -> {
      if (closed) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        shared.choice.failed(target);
        shared.metrics.upstreamFailed();
        failures.add(target.address + " (" + ar.cause().getMessage() + ")");
        if (candidates.hasNext()) {
          connectBroker(candidates, failures, connect);
        } else {
          unavailable("cannot connect to a broker: " + String.join(", ", failures));
        }
        return;
      }
      brokerName = target.address.toString();
      broker = WriteCoalescing.install(MqttSockets.installClient((NetSocketInternal) ar.result(),
        shared.options.getMaxPacketSize()));
      broker.messageHandler(this::fromBroker);
      broker.closeHandler(v -> brokerClosed());
      broker.exceptionHandler(e -> broker.close());
      broker.drainHandler(v -> client.resume());
      client.drainHandler(v -> clientDrained());
      connackTimer = shared.vertx.setTimer(shared.options.getBrokerConnectTimeoutMillis(), t -> {
        shared.choice.failed(target);
        shared.metrics.upstreamFailed();
        unavailable("the broker " + brokerName + " did not answer CONNECT within "
          + shared.options.getBrokerConnectTimeoutMillis() + " ms");
      });
      broker.writeMessage(connect);
      client.resume();
    });
  }

  private void publish(MqttPublishMessage publish) {
    ProxyMeters.Reason refusal = rules.publishRefusal(publish);
    if (refusal == null) {
      toBroker(publish);
      return;
    }
    int qos = publish.fixedHeader().qosLevel().value();
    int id = publish.variableHeader().packetId();
    String topic = publish.variableHeader().topicName();
    ReferenceCountUtil.release(publish);
    shared.meters.count(refusal);
    switch (refusal) {
      case MESSAGE_RATE -> close(DisconnectReason.MESSAGE_RATE_TOO_HIGH,
        "more than " + shared.options.getPublishRatePerSecond() + " PUBLISH packets a second");
      case BYTE_RATE -> close(DisconnectReason.MESSAGE_RATE_TOO_HIGH,
        "more than " + shared.options.getPublishBytesPerSecond() + " PUBLISH bytes a second");
      default -> {
        // 5.0 hears "Not authorized"; 3.1.1, which has no negative acknowledgement, is acknowledged and the message dropped
        if (qos > 0) {
          MqttMessageType ack = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
          client.writeMessage(new MqttMessage(NettyPackets.fixed(ack), version == MqttVersion.MQTT_5
            ? new MqttPubReplyMessageVariableHeader(id, (byte) ClientRules.NOT_AUTHORIZED,
              reason("not authorized to publish to '" + topic + "'"))
            : MqttMessageIdVariableHeader.from(id)));
          if (qos == 2 && version != MqttVersion.MQTT_5) {
            refusedExactlyOnce.add(id);
          }
        }
      }
    }
  }

  private void subscribe(MqttSubscribeMessage subscribe) {
    MqttSubscribeMessage permitted = rules.permitted(subscribe, () -> shared.meters.count(ProxyMeters.Reason.SUBSCRIBE_DENIED));
    if (permitted == null) {
      client.writeMessage(rules.deniedSubAck(subscribe));
    } else {
      toBroker(permitted);
    }
  }

  private static MqttProperties reason(String text) {
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, text));
    return props;
  }

  private void toBroker(MqttMessage packet) {
    shared.metrics.carried(packet, true);
    broker.writeMessage(packet);
    if (broker.writeQueueFull()) {
      shared.metrics.paused();
      client.pause();
    }
  }

  private void fromBroker(Object msg) {
    if (closed || !(msg instanceof MqttMessage packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (packet.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      shared.metrics.protocolError();
      close(DisconnectReason.USE_ANOTHER_SERVER, "the broker " + brokerName + " sent an undecodable packet: "
        + packet.decoderResult().cause().getMessage());
      return;
    }
    switch (packet.fixedHeader().messageType()) {
      case CONNACK -> connack((MqttConnAckMessage) packet);
      case DISCONNECT -> brokerDisconnected = true;
      case SUBACK -> packet = rules.toClient((MqttSubAckMessage) packet);
      default -> { }
    }
    shared.metrics.carried(packet, false);
    client.writeMessage(packet);
    if (client.writeQueueFull() && slowTimer < 0) {
      shared.metrics.paused();
      broker.pause();
      slowTimer = shared.vertx.setTimer(shared.options.getSlowClientTimeoutMillis(), t -> {
        shared.meters.count(ProxyMeters.Reason.SLOW_CLIENT);
        // Vert.x's close() waits until what is queued is written, which a client that never reads never lets
        // happen; a reset also frees what the kernel holds for it at once
        Channel channel = client.channelHandlerContext().channel();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
        closeUntold("the client read nothing for " + shared.options.getSlowClientTimeoutMillis() + " ms");
      });
    }
  }

  private void connack(MqttConnAckMessage connack) {
    shared.vertx.cancelTimer(connackTimer);
    connackSeen = true;
    connackOk = connack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED;
    Integer aliases = MqttProps.integer(connack.variableHeader().properties(), MqttProperties.TOPIC_ALIAS_MAXIMUM);
    rules.brokerAliasMaximum(aliases == null ? 0 : aliases);
  }

  private void clientDrained() {
    if (slowTimer >= 0) {
      shared.vertx.cancelTimer(slowTimer);
      slowTimer = -1;
      if (broker != null) {
        broker.resume();
      }
    }
  }

  private void brokerClosed() {
    if (!connackSeen) {
      unavailable("the broker " + brokerName + " closed the connection before its CONNACK");
    } else {
      String reason = "the broker " + brokerName + " closed the connection";
      if (clientDisconnected) {
        closeUntold(reason);
      } else {
        close(DisconnectReason.USE_ANOTHER_SERVER, reason);
      }
    }
  }

  /** Answers the client's CONNECT with "Server unavailable" (5.0: 0x88; 3.1.1: 3) and ends the session. */
  private void unavailable(String reason) {
    if (closed || connackSeen) {
      return;
    }
    connackSeen = true;
    shared.metrics.refused();
    client.writeMessage(StreamMessages.serverUnavailable(version, reason));
    closeUntold(reason);
  }

  @Override
  public void stop() {
    close(DisconnectReason.USE_ANOTHER_SERVER, "the MQTT proxy is stopping");
  }

  /** Ends the session as {@link #end} does, telling an MQTT 5 client DISCONNECT {@code code} with {@code reason}. */
  private void close(DisconnectReason code, String reason) {
    end(Optional.of(code), reason);
  }

  /** Ends the session as {@link #end} does, with no DISCONNECT to the client: it left, or cannot be written to. */
  private void closeUntold(String reason) {
    end(Optional.empty(), reason);
  }

  /**
   * Ends the session once: closes the broker connection (the broker publishes the will unless the client
   * sent DISCONNECT) and the client's; an MQTT 5 client that is connected and got no DISCONNECT from the
   * broker first gets DISCONNECT {@code tell} with {@code reason}, when there is one.
   */
  private void end(Optional<DisconnectReason> tell, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    shared.vertx.cancelTimer(connectTimer);
    shared.vertx.cancelTimer(connackTimer);
    shared.vertx.cancelTimer(slowTimer);
    if (broker != null) {
      broker.close();
    }
    if (tell.isPresent() && version == MqttVersion.MQTT_5 && connackOk && !brokerDisconnected) {
      client.writeMessage(StreamMessages.disconnect(tell.get(), reason));
    }
    client.close();
    if (counted) {
      shared.metrics.sessionClosed();
    }
    onClose.accept(this);
  }
}
