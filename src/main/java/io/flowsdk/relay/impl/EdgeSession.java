package io.flowsdk.relay.impl;

import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.protocol.WireViolation;
import io.flowsdk.relay.RelayEdgeOptions;
import io.flowsdk.relay.proto.MessageDirection;
import io.flowsdk.relay.proto.MqttRelayServiceGrpcClient;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.flowsdk.relay.proto.SessionControl;
import io.flowsdk.util.BearerTokens;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One MQTT client connection on the edge and the gRPC stream to the upstream it opens at the client's
 * CONNECT. Packets pass both ways, mapped; the relay keeps no MQTT state but the protocol version. The
 * socket is paused while the stream opens and whenever the stream's writer is full, and the stream is
 * paused whenever the socket's writer is full: nothing buffers without bound. Lives on one event loop.
 */
final class EdgeSession implements EdgeConnection {

  /** CONNACK (3.1.1 form) "unacceptable protocol version": the version of an unsupported level is unknown. */
  private static final byte[] UNACCEPTABLE_PROTOCOL_VERSION = {0x20, 0x02, 0x00, 0x01};

  private final Vertx vertx;
  private final GrpcClient grpc;
  private final UpstreamChoice upstreams;
  private final RelayEdgeOptions options;
  private final RelayMetrics metrics;
  private final NetSocketInternal socket;
  private final BooleanSupplier atLimit;
  private final Consumer<EdgeSession> onClose;
  private final SequenceCheck sequence = SequenceCheck.fromBrokerSide();
  private StreamMessages outbound;
  private MqttVersion version;
  private GrpcClientRequest<MqttStreamMessage, MqttStreamMessage> up;
  private GrpcClientResponse<MqttStreamMessage, MqttStreamMessage> down;
  private final long connectTimer;
  private boolean connackOk;
  private boolean brokerDisconnected;
  private boolean counted;
  private boolean closed;

  EdgeSession(Vertx vertx, GrpcClient grpc, UpstreamChoice upstreams, RelayEdgeOptions options,
              RelayMetrics metrics, NetSocketInternal socket, BooleanSupplier atLimit, Consumer<EdgeSession> onClose) {
    this.vertx = vertx;
    this.grpc = grpc;
    this.upstreams = upstreams;
    this.options = options;
    this.metrics = metrics;
    this.socket = metrics.countBytes(socket);
    this.atLimit = atLimit;
    this.onClose = onClose;
    socket.messageHandler(this::fromClient);
    socket.closeHandler(v -> close(SessionControl.ControlType.TERMINATE, ""));
    socket.exceptionHandler(e -> socket.close());
    connectTimer = vertx.setTimer(options.getConnectTimeoutMillis(), t -> {
      if (up == null || down == null) {
        metrics.refused();
        close(null, "no CONNECT or no upstream stream within " + options.getConnectTimeoutMillis() + " ms");
      }
    });
  }

  private void fromClient(Object msg) {
    try {
      if (closed) {
        return;
      }
      if (msg instanceof WireViolation v) { // the WireCheck's, in order behind the packets before it
        clientBroke(DisconnectReason.of(v.reasonCode()), v.getMessage());
        return;
      }
      if (!(msg instanceof MqttMessage)) {
        return;
      }
      MqttMessage packet = (MqttMessage) msg;
      if (packet.decoderResult().isFailure()) {
        undecodable(packet.decoderResult().cause());
        return;
      }
      if (version == null) {
        connect(packet);
      } else if (packet.fixedHeader().messageType() == MqttMessageType.CONNECT) {
        clientBroke(DisconnectReason.PROTOCOL_ERROR, "the client sent a second CONNECT (MQTT-3.1.0-2)");
      } else {
        up.write(outbound.packet(packet, version));
        metrics.carried(packet, true);
        Backpressure.pauseIfFull(up, socket, metrics);
      }
    } catch (FlowException e) { // a client packet the relay protocol cannot carry
      clientBroke(DisconnectReason.PROTOCOL_ERROR, e.getMessage());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * A packet Netty's decoder refused: before the CONNECT, an unknown protocol level is answered as a broker
   * answers it (CONNACK 0x01, MQTT-3.1.2-2); after it, an MQTT 5 client hears Packet too large or Malformed Packet.
   */
  private void undecodable(Throwable cause) {
    if (version == null && cause instanceof MqttUnacceptableProtocolVersionException) {
      metrics.protocolError();
      socket.write(Buffer.buffer(UNACCEPTABLE_PROTOCOL_VERSION));
      close(null, "the client's CONNECT has an unsupported protocol level: " + cause.getMessage());
      return;
    }
    DisconnectReason code = cause instanceof TooLongFrameException ? DisconnectReason.PACKET_TOO_LARGE
      : DisconnectReason.MALFORMED_PACKET;
    clientBroke(code, "the client sent an undecodable packet: " + cause.getMessage());
  }

  /** The client broke the protocol: the session ends, as a broker would end it (MQTT 5: DISCONNECT {@code code}). */
  private void clientBroke(DisconnectReason code, String reason) {
    metrics.protocolError();
    close(SessionControl.ControlType.TERMINATE, code, reason);
  }

  private void connect(MqttMessage packet) {
    if (packet.fixedHeader().messageType() != MqttMessageType.CONNECT) {
      metrics.protocolError();
      close(null, "the first packet was " + packet.fixedHeader().messageType() + ", not CONNECT");
      return;
    }
    MqttConnectMessage connect = (MqttConnectMessage) packet;
    version = MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
      (byte) connect.variableHeader().version());
    if (atLimit.getAsBoolean()) {
      metrics.refused();
      socket.writeMessage(refusal());
      close(null, "the edge carries its limit of " + options.getMaxSessions() + " sessions");
      return;
    }
    counted = true;
    metrics.sessionOpened();
    String clientId = connect.payload().clientIdentifier();
    String sessionId = UUID.randomUUID().toString();
    outbound = new StreamMessages(MessageDirection.CLIENT_TO_BROKER, 0);
    MqttStreamMessage establish = outbound.control(StreamMessages.establish(version), clientId, "");
    MqttStreamMessage connectMessage = outbound.packet(connect, version);
    List<UpstreamChoice.Upstream> candidates = upstreams.candidates();
    if (candidates.isEmpty()) {
      upstreamUnavailable("every relay upstream failed lately; the first is tried again in " + upstreams.nextRetryIn() + " ms");
      return;
    }
    socket.pause();
    open(candidates.iterator(), new ArrayList<>(), sessionId, clientId, establish, connectMessage);
  }

  /** Opens the stream on the next of {@code candidates}; an upstream that cannot be reached fails over to the next. */
  private void open(Iterator<UpstreamChoice.Upstream> candidates, List<String> failures,
                    String sessionId, String clientId, MqttStreamMessage establish, MqttStreamMessage connectMessage) {
    UpstreamChoice.Upstream target = candidates.next();
    grpc.request(SocketAddress.inetSocketAddress(target.address.getPort(), target.address.getHost()),
      MqttRelayServiceGrpcClient.StreamMqttMessages).onComplete(ar -> {
        if (closed) {
          if (ar.succeeded()) {
            ar.result().cancel();
          }
          return;
        }
        if (ar.failed()) {
          upstreams.failed(target);
          metrics.upstreamFailed();
          failures.add(target.address + " (" + ar.cause().getMessage() + ")");
          if (candidates.hasNext()) {
            open(candidates, failures, sessionId, clientId, establish, connectMessage);
          } else {
            upstreamUnavailable("cannot open a stream to a relay upstream: " + String.join(", ", failures));
          }
          return;
        }
        upstreams.succeeded(target);
        GrpcClientRequest<MqttStreamMessage, MqttStreamMessage> request = ar.result();
        up = request;
        request.headers().set(MetadataValues.SESSION_ID, sessionId).set(MetadataValues.CLIENT_ID, MetadataValues.encode(clientId));
        if (options.getUpstreamToken() != null) {
          request.headers().set(BearerTokens.AUTHORIZATION, BearerTokens.header(options.getUpstreamToken()));
        }
        String lost = "the relay upstream " + target.address + " is unavailable: ";
        request.exceptionHandler(e -> {
          // before the response, its failure (with the upstream's status) answers the client's CONNECT
          if (down != null) {
            close(null, DisconnectReason.USE_ANOTHER_SERVER, lost + e.getMessage());
          }
        });
        request.write(establish);
        request.write(connectMessage);
        request.response().onComplete(response -> {
          if (response.failed()) {
            upstreamUnavailable("the relay upstream " + target.address + " refused the stream: " + response.cause().getMessage());
            return;
          }
          down = response.result();
          down.messageHandler(this::fromUpstream);
          down.endHandler(v -> {
            GrpcStatus status = down.status();
            if (!connackOk && status != null && status != GrpcStatus.OK) {
              upstreamUnavailable("the relay upstream " + target.address + " refused the stream: " + down.statusMessage());
            } else {
              close(null, "the upstream ended the stream");
            }
          });
          down.exceptionHandler(e -> close(null, DisconnectReason.USE_ANOTHER_SERVER, lost + e.getMessage()));
          socket.resume();
        });
      });
  }

  /** CONNACK "Server busy" (5.0) or "Server unavailable" (3.1.1) for a client over the session limit. */
  private MqttMessage refusal() {
    return version == MqttVersion.MQTT_5
      ? new MqttConnAckMessage(NettyPackets.fixed(MqttMessageType.CONNACK), new MqttConnAckVariableHeader(
        MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY, false, MqttProperties.NO_PROPERTIES))
      : StreamMessages.serverUnavailable(version, "");
  }

  private void upstreamUnavailable(String reason) {
    if (closed) {
      return;
    }
    metrics.refused();
    socket.writeMessage(StreamMessages.serverUnavailable(version, reason));
    close(null, reason);
  }

  private void fromUpstream(GrpcMessage raw) {
    if (closed) {
      return;
    }
    try {
      MqttStreamMessage message = StreamDecoding.decode(raw);
      sequence.accept(message.getSequenceId());
      if (message.hasSessionControl()) {
        if (message.getSessionControl().getControlType() == SessionControl.ControlType.TERMINATE) {
          close(null, message.getSessionControl().getReason());
        }
        return;
      }
      MqttMessage packet = PacketMapping.fromProto(message, version);
      MqttMessageType type = packet.fixedHeader().messageType();
      if (type == MqttMessageType.CONNACK) {
        connackOk = ((MqttConnAckMessage) packet).variableHeader().connectReturnCode()
          == MqttConnectReturnCode.CONNECTION_ACCEPTED;
      } else if (type == MqttMessageType.DISCONNECT) {
        brokerDisconnected = true;
      }
      socket.writeMessage(packet);
      metrics.carried(packet, false);
      Backpressure.pauseIfFull(socket, down, metrics);
    } catch (FlowException e) {
      metrics.protocolError();
      close(SessionControl.ControlType.TERMINATE, e.getMessage());
    }
  }

  @Override
  public void stop() {
    close(null, "the relay edge is stopping");
  }

  /** Ends the session once, telling an MQTT 5 client "Unspecified error" (see the next method). */
  void close(SessionControl.ControlType tell, String reason) {
    close(tell, DisconnectReason.UNSPECIFIED_ERROR, reason);
  }

  /**
   * Ends the session once. Tells the upstream (TERMINATE with {@code reason} when {@code tell} is set;
   * the end of the stream in any case) and the client: an MQTT 5 client whose broker side vanished
   * without a DISCONNECT gets DISCONNECT {@code code} with the reason; then the socket closes.
   */
  private void close(SessionControl.ControlType tell, DisconnectReason code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(connectTimer);
    if (up != null) {
      if (tell != null) {
        up.write(outbound.control(tell, "", reason));
      }
      up.end();
    }
    if (version == MqttVersion.MQTT_5 && connackOk && !brokerDisconnected && !reason.isEmpty()) {
      socket.writeMessage(StreamMessages.disconnect(code, reason));
    }
    socket.close();
    if (counted) {
      metrics.sessionClosed();
    }
    onClose.accept(this);
  }
}
