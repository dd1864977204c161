package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.flowsdk.relay.RelayUpstreamOptions;
import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.flowsdk.util.WriteCoalescing;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One relayed session on the upstream side: a gRPC stream from an edge (or a FlowSDK r-proxy) and the
 * MQTT connection to the broker it opens at the client's CONNECT. Packets pass both ways, mapped; the
 * relay keeps no MQTT state but the protocol version. A full broker socket pauses the stream, a full
 * stream pauses the broker socket, so nothing buffers without bound. Lives on one event loop.
 */
final class UpstreamSession {


  private final Vertx vertx;
  private final NetClient brokers;
  private final RelayUpstreamOptions options;
  private final RelayMetrics metrics;
  private final GrpcServerRequest<MqttStreamMessage, MqttStreamMessage> stream;
  private final GrpcServerResponse<MqttStreamMessage, MqttStreamMessage> out;
  private final Consumer<UpstreamSession> onClose;
  private final SequenceCheck sequence = SequenceCheck.fromClientSide();
  private final StreamMessages outbound;
  final String sessionId;
  private String clientId;
  private MqttVersion version;
  /** ESTABLISHV3 or ESTABLISHV5 as the client side sent it, null before. */
  private SessionControl.ControlType established;
  private NetSocketInternal broker;
  private final ArrayDeque<MqttMessage> pending = new ArrayDeque<>();
  private boolean connackSeen;
  private long connackTimer = -1;
  private boolean closed;
  /** False once the stream was reset: nothing more can be written to it. */
  private boolean streamUsable = true;

  UpstreamSession(Vertx vertx, NetClient brokers, RelayUpstreamOptions options, RelayMetrics metrics,
                  GrpcServerRequest<MqttStreamMessage, MqttStreamMessage> stream, String sessionId, String clientId,
                  Consumer<UpstreamSession> onClose) {
    this.vertx = vertx;
    this.brokers = brokers;
    this.options = options;
    this.metrics = metrics;
    this.stream = stream;
    this.out = stream.response();
    this.sessionId = sessionId;
    this.clientId = clientId;
    this.onClose = onClose;
    this.outbound = new StreamMessages(MessageDirection.BROKER_TO_CLIENT, 1);
  }

  void start() {
    metrics.sessionOpened();
    stream.messageHandler(this::fromClient);
    stream.endHandler(v -> close(null, "the client side ended the stream"));
    stream.exceptionHandler(this::streamBroke);
    out.exceptionHandler(this::streamBroke);
  }

  private void streamBroke(Throwable cause) {
    streamUsable = false;
    close(null, "the client side's stream broke: " + cause.getMessage());
  }

  private void fromClient(GrpcMessage raw) {
    if (closed) {
      return;
    }
    try {
      MqttStreamMessage message = StreamDecoding.decode(raw);
      sequence.accept(message.getSequenceId());
      if (message.hasSessionControl()) {
        control(message.getSessionControl());
      } else if (version == null) {
        connect(message);
      } else {
        toBroker(PacketMapping.fromProto(message, version));
      }
    } catch (FlowException e) {
      metrics.protocolError();
      close(SessionControl.ControlType.TERMINATE, e.getMessage());
    }
  }

  private void control(SessionControl control) {
    switch (control.getControlType()) {
      case TERMINATE -> close(null, "the client side terminated the session");
      case HEARTBEAT -> { }
      case ESTABLISHV3, ESTABLISHV5 -> {
        if (version != null || established != null) {
          throw new FlowException(FlowError.PROTOCOL_ERROR, control.getControlType() + " sent twice or after the CONNECT");
        }
        established = control.getControlType();
        if (!control.getClientId().isEmpty()) {
          clientId = control.getClientId();
        }
      }
      default -> throw new FlowException(FlowError.PROTOCOL_ERROR,
        "unknown session control type " + control.getControlTypeValue());
    }
  }

  /** The first packet: a CONNECT, which says the protocol version and opens the broker connection. */
  private void connect(MqttStreamMessage message) {
    boolean v5 = message.hasMqttV5Packet() && message.getMqttV5Packet().hasConnect();
    boolean v3 = message.hasMqttV3Packet() && message.getMqttV3Packet().hasConnect();
    if (!v5 && !v3) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "the first packet of a session must be CONNECT");
    }
    if (established != null && established != StreamMessages.establish(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "the session was established with " + established
        + " but its CONNECT is MQTT " + (v5 ? "5.0" : "3.1.1"));
    }
    version = v5 ? MqttVersion.MQTT_5
      : message.getMqttV3Packet().getConnect().getProtocolVersion() == 3 ? MqttVersion.MQTT_3_1 : MqttVersion.MQTT_3_1_1;
    MqttMessage connect = PacketMapping.fromProto(message, version);
    String target = options.getBrokerHost() + ":" + options.getBrokerPort();
    connackTimer = vertx.setTimer(options.getBrokerConnectTimeoutMillis(), t -> refuse("the broker " + target
      + " did not answer CONNECT within " + options.getBrokerConnectTimeoutMillis() + " ms"));
    brokers.connect(options.getBrokerPort(), options.getBrokerHost()).onComplete(ar -> {
      if (ar.failed()) {
        refuse("cannot connect to the broker " + target + ": " + ar.cause().getMessage());
        return;
      }
      NetSocketInternal socket = metrics.countBytes(WriteCoalescing.install(MqttSockets.installClient(
        (NetSocketInternal) ar.result(), options.getMaxPacketSize())));
      if (closed) {
        socket.close();
        return;
      }
      broker = socket;
      socket.messageHandler(this::fromBroker);
      socket.closeHandler(v -> brokerClosed());
      socket.exceptionHandler(e -> socket.close());
      socket.writeMessage(connect);
      while (!pending.isEmpty()) {
        MqttMessage held = pending.poll();
        socket.writeMessage(held);
        metrics.carried(held, true);
      }
      Backpressure.pauseIfFull(socket, stream, metrics);
    });
  }

  private void toBroker(MqttMessage packet) {
    if (broker == null) {
      if (pending.size() >= options.getMaxPendingPackets()) {
        ReferenceCountUtil.release(packet);
        throw new FlowException(FlowError.OVERLOADED, "more than " + options.getMaxPendingPackets()
          + " packets arrived before the broker connection was open");
      }
      pending.add(packet);
      return;
    }
    broker.writeMessage(packet);
    metrics.carried(packet, true);
    Backpressure.pauseIfFull(broker, stream, metrics);
  }

  private void fromBroker(Object msg) {
    try {
      if (closed || !(msg instanceof MqttMessage)) {
        return;
      }
      MqttMessage packet = (MqttMessage) msg;
      if (packet.decoderResult().isFailure()) {
        metrics.protocolError();
        close(SessionControl.ControlType.TERMINATE, "the broker sent an undecodable packet: "
          + packet.decoderResult().cause().getMessage());
        return;
      }
      if (packet.fixedHeader().messageType() == MqttMessageType.CONNACK) {
        connackSeen = true;
        vertx.cancelTimer(connackTimer);
      }
      out.write(outbound.packet(packet, version));
      metrics.carried(packet, false);
      Backpressure.pauseIfFull(out, broker, metrics);
    } catch (FlowException e) { // a packet the session's MQTT version does not have (AUTH, a v5 code in 3.1.1)
      metrics.protocolError();
      close(SessionControl.ControlType.TERMINATE, "the broker sent a packet its session cannot carry: " + e.getMessage());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void brokerClosed() {
    broker = null;
    if (!connackSeen) {
      refuse("the broker closed the connection before its CONNACK");
    } else {
      close(SessionControl.ControlType.TERMINATE, "the broker closed the connection");
    }
  }

  /** Answers the client's CONNECT with "Server unavailable" and ends the session. */
  private void refuse(String reason) {
    if (closed || connackSeen) {
      return;
    }
    metrics.refused();
    connackSeen = true;
    out.write(outbound.packet(StreamMessages.serverUnavailable(version, reason), version));
    close(SessionControl.ControlType.TERMINATE, reason);
  }

  /**
   * Ends the session because this upstream stops: an MQTT 5 client that is connected first gets
   * DISCONNECT "Use another server" with {@code reason} (so it knows to reconnect, through another
   * upstream); then TERMINATE with the reason, as {@link #close}.
   */
  void stopping(String reason) {
    if (!closed && streamUsable && version == MqttVersion.MQTT_5 && connackSeen) {
      out.write(outbound.packet(StreamMessages.disconnect(DisconnectReason.USE_ANOTHER_SERVER, reason), version));
    }
    close(SessionControl.ControlType.TERMINATE, reason);
  }

  /**
   * Ends the session once: closes the broker connection, tells the client side (a TERMINATE with
   * {@code reason} when {@code tell} is set) and ends the stream.
   */
  void close(SessionControl.ControlType tell, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(connackTimer);
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
    if (broker != null) {
      broker.close();
    }
    if (streamUsable) {
      if (tell != null) {
        out.write(outbound.control(tell, clientId, reason));
      }
      out.end();
    }
    metrics.sessionClosed();
    onClose.accept(this);
  }
}
