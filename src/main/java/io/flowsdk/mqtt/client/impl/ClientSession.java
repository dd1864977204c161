package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.protocol.MqttProps;
import io.flowsdk.mqtt.protocol.WireViolation;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectInfo;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttAuthenticator;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttException;
import io.flowsdk.mqtt.client.MqttMessageHandler;
import io.flowsdk.mqtt.client.MqttVersion;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.SubscribeResult;
import io.flowsdk.mqtt.client.UnsubscribeResult;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;

/**
 * The MQTT client protocol state machine, free of I/O: packets come in through {@link #receive},
 * go out through a {@link PacketSink}, time comes from {@link Timers}. It lives across connections
 * (session state, offline buffer) and assembles one object per protocol concern. Single-threaded:
 * every method runs on the client's event loop.
 */
final class ClientSession implements EnhancedAuth.Link {

  private enum State { IDLE, CONNECTING, CONNECTED, CLOSING }

  private final MqttClientOptions options;
  private final Timers timers;
  private final SessionListener listener;
  private final ClientMetrics metrics;
  private final boolean v5;
  private final TopicAliasesOut aliasesOut;
  private final OutboundQos outbound;
  private final InboundQos inbound;
  private final PendingRequests requests;
  private final KeepAlive keepAlive;
  private final EnhancedAuth auth;

  private State state = State.IDLE;
  private PacketSink sink;
  private long epoch;
  private Promise<ConnAckInfo> connectPromise;
  private long connectTimer = -1;
  private ConnAckInfo broker;
  private boolean everConnected;
  private boolean established;
  private DisconnectInfo closeInfo;

  ClientSession(MqttClientOptions options, Timers timers, SessionListener listener, ClientMetrics metrics) {
    this.options = options;
    this.timers = timers;
    this.listener = listener;
    this.metrics = metrics;
    this.v5 = options.getVersion() == MqttVersion.V5;
    PacketIds packetIds = new PacketIds();
    this.aliasesOut = new TopicAliasesOut(options.getOutboundTopicAliasMaximum());
    PublishQueue queue = new PublishQueue(options.getOfflineBufferMaxMessages(), options.getOfflineBufferMaxBytes(),
      options.getOfflineBufferDropPolicy());
    this.outbound = new OutboundQos(timers, packetIds, aliasesOut, queue, metrics, options.getAckTimeoutMillis(), v5);
    this.inbound = new InboundQos(timers, new TopicAliasesIn(options.getTopicAliasMaximum()), options.getReceiveMaximum(), v5,
      this::messageNotTaken);
    this.requests = new PendingRequests(timers, packetIds, metrics, options.getAckTimeoutMillis(), v5);
    this.keepAlive = new KeepAlive(timers, () -> send(Packets.pingreq()), this::keepAliveExpired);
    this.auth = new EnhancedAuth(this, timers);
  }

  void messageHandler(MqttMessageHandler handler) {
    inbound.handler(handler);
  }

  void authenticator(MqttAuthenticator authenticator) {
    auth.authenticator(authenticator);
  }

  boolean isConnected() {
    return state == State.CONNECTED;
  }

  boolean isIdle() {
    return state == State.IDLE;
  }

  /** The CONNACK of the current connection, or null. */
  ConnAckInfo broker() {
    return state == State.CONNECTED ? broker : null;
  }

  /**
   * A socket is open: sends CONNECT (after the authenticator's initial data) and completes with the
   * CONNACK. The first connect uses the configured Clean Start; later ones resume the session.
   */
  Future<ConnAckInfo> open(PacketSink socket) {
    if (state != State.IDLE) {
      socket.close();
      return Future.failedFuture(new FlowException(FlowError.INVALID, "already connected or connecting"));
    }
    state = State.CONNECTING;
    long connection = ++epoch;
    closeInfo = null;
    established = false;
    sink = new KeepAliveSink(socket, keepAlive);
    connectPromise = Promise.promise();
    long timeout = options.getConnectTimeoutMillis();
    connectTimer = timers.schedule(timeout, () -> {
      connectTimer = -1;
      if (epoch == connection && state == State.CONNECTING) {
        FlowException cause = new FlowException(FlowError.TIMEOUT, "no CONNACK within " + timeout + " ms");
        connectPromise.tryFail(cause);
        end(new DisconnectInfo(DisconnectReason.UNSPECIFIED_ERROR, cause.getMessage(), false, false,
          new MqttException(DisconnectReason.UNSPECIFIED_ERROR, null, cause.getMessage())));
      }
    });
    boolean cleanStart = everConnected ? (!v5 && options.isCleanStart()) : options.isCleanStart();
    auth.initialData().onComplete(ar -> timers.execute(() -> {
      if (epoch != connection || state != State.CONNECTING) {
        return;
      }
      if (ar.failed()) {
        String why = "the authenticator failed: " + ar.cause().getMessage();
        MqttException cause = new MqttException(DisconnectReason.NOT_AUTHORIZED, why, "authentication failed");
        connectPromise.tryFail(cause);
        end(new DisconnectInfo(DisconnectReason.NOT_AUTHORIZED, why, false, false, cause));
        return;
      }
      sink.send(Packets.connect(options, cleanStart, v5 ? auth.method() : null, v5 ? ar.result() : null));
    }));
    return connectPromise.future();
  }

  /** One decoded packet from the broker (or a decoder failure). Never throws. */
  void receive(MqttMessage packet) {
    if (state == State.IDLE || state == State.CLOSING) {
      return;
    }
    keepAlive.inbound();
    try {
      if (packet.decoderResult().isFailure()) {
        Throwable cause = packet.decoderResult().cause();
        if (cause instanceof FlowException) {
          throw (FlowException) cause; // refused by the framer before the decoder: a CONNECT from the broker
        }
        if (cause instanceof WireViolation v) {
          throw new ProtocolViolation(DisconnectReason.of(v.reasonCode()), "malformed packet: " + v.getMessage());
        }
        boolean tooLarge = cause instanceof TooLongFrameException;
        throw new ProtocolViolation(tooLarge ? DisconnectReason.PACKET_TOO_LARGE : DisconnectReason.MALFORMED_PACKET,
          (tooLarge ? "packet larger than our Maximum Packet Size: " : "malformed packet: ") + cause.getMessage());
      }
      if (state == State.CONNECTING) {
        receiveWhileConnecting(packet);
      } else {
        receiveWhileConnected(packet);
      }
    } catch (ProtocolViolation v) {
      violation(v.reason(), v.getMessage());
    } catch (FlowException e) {
      violation(e.error() == FlowError.PROTOCOL_ERROR ? DisconnectReason.PROTOCOL_ERROR : DisconnectReason.MALFORMED_PACKET,
        e.getMessage());
    } catch (RuntimeException e) {
      violation(DisconnectReason.MALFORMED_PACKET, "unreadable " + packet.fixedHeader().messageType() + ": " + e);
    }
  }

  private void receiveWhileConnecting(MqttMessage packet) {
    switch (packet.fixedHeader().messageType()) {
      case CONNACK:
        connAck(packet);
        break;
      case AUTH:
        requireV5(packet);
        auth.onAuth(packet, epoch, true);
        break;
      case DISCONNECT:
        serverDisconnect(packet);
        break;
      default:
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, packet.fixedHeader().messageType() + " before CONNACK");
    }
  }

  private void receiveWhileConnected(MqttMessage packet) {
    switch (packet.fixedHeader().messageType()) {
      case PUBLISH:
        inbound.onPublish((MqttPublishMessage) packet);
        break;
      case PUBACK:
        outbound.onPubAck(packet);
        break;
      case PUBREC:
        outbound.onPubRec(packet);
        break;
      case PUBREL:
        inbound.onPubRel(packet);
        break;
      case PUBCOMP:
        outbound.onPubComp(packet);
        break;
      case SUBACK:
        requests.onSubAck(packet);
        break;
      case UNSUBACK:
        requests.onUnsubAck(packet);
        break;
      case PINGRESP:
        keepAlive.pingResponse();
        break;
      case DISCONNECT:
        serverDisconnect(packet);
        break;
      case AUTH:
        requireV5(packet);
        auth.onAuth(packet, epoch, false);
        break;
      default:
        throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, "unexpected " + packet.fixedHeader().messageType()
          + " from the broker");
    }
  }

  private void requireV5(MqttMessage packet) {
    if (!v5) {
      throw new ProtocolViolation(DisconnectReason.PROTOCOL_ERROR, packet.fixedHeader().messageType() + " on MQTT 3.1.1");
    }
  }

  private void connAck(MqttMessage packet) {
    ConnAckInfo info;
    try {
      info = ConnAcks.read(packet, options);
    } catch (MqttException refused) {
      connectPromise.tryFail(refused);
      end(new DisconnectInfo(DisconnectReason.UNSPECIFIED_ERROR, refused.getMessage(), true, false, refused));
      return;
    }
    cancelConnectTimer();
    state = State.CONNECTED;
    everConnected = true;
    established = true;
    broker = info;
    aliasesOut.reset(v5 ? info.topicAliasMaximum() : 0);
    inbound.connected(sink, info.sessionPresent());
    keepAlive.start(info.serverKeepAlive(), options.getPingTimeoutMillis());
    auth.succeeded(info.authenticationData());
    listener.connected(info);
    connectPromise.tryComplete(info);
    int lost = outbound.connected(sink, info);
    if (lost > 0) {
      listener.error(new FlowException(FlowError.DISCONNECTED, lost + " inflight QoS 1/2 publishes failed: the broker "
        + "did not resume the session"));
    }
  }

  private void serverDisconnect(MqttMessage packet) {
    requireV5(packet);
    MqttReasonCodeAndPropertiesVariableHeader h = (MqttReasonCodeAndPropertiesVariableHeader) packet.variableHeader();
    DisconnectReason reason = h == null ? DisconnectReason.NORMAL_DISCONNECTION : DisconnectReason.of(h.reasonCode() & 0xFF);
    String reasonString = h == null || h.properties() == null ? null : MqttProps.reasonString(h.properties());
    MqttException cause = new MqttException(reason, reasonString, "the broker disconnected");
    if (connectPromise != null) {
      connectPromise.tryFail(cause);
    }
    end(new DisconnectInfo(reason, reasonString, true, false, cause));
  }

  /** The broker broke the protocol: DISCONNECT with {@code reason} (MQTT 5) and close. */
  private void violation(DisconnectReason reason, String why) {
    metrics.protocolErrors.increment();
    MqttException cause = new MqttException(reason, why, "the broker broke the protocol");
    if (v5) {
      sink.send(Packets.disconnect(true, reason, why.length() > 200 ? why.substring(0, 200) : why));
    }
    connectPromise.tryFail(cause);
    end(new DisconnectInfo(reason, why, false, false, cause));
    listener.error(cause);
  }

  /**
   * The message handler failed a QoS 1/2 message without refusing it: close without acknowledging it
   * (or anything behind it), so the broker sends it again on the resumed session.
   */
  private void messageNotTaken(Throwable failure) {
    if (state != State.CONNECTED) {
      return;
    }
    metrics.notTakenCloses.increment();
    String why = "the message handler did not take a message (" + failure.getMessage()
      + "); closing without acknowledging it so that the broker sends it again";
    if (v5) {
      sink.send(Packets.disconnect(true, DisconnectReason.UNSPECIFIED_ERROR, "message not taken"));
    }
    end(new DisconnectInfo(DisconnectReason.UNSPECIFIED_ERROR, why, false, false,
      new MqttException(DisconnectReason.UNSPECIFIED_ERROR, null, why)));
  }

  private void keepAliveExpired() {
    if (state != State.CONNECTED) {
      return;
    }
    String why = "no answer from the broker within the keep-alive of " + broker.serverKeepAlive() + " s";
    MqttException cause = new MqttException(DisconnectReason.KEEP_ALIVE_TIMEOUT, null, why);
    if (v5) {
      sink.send(Packets.disconnect(true, DisconnectReason.KEEP_ALIVE_TIMEOUT, null));
    }
    end(new DisconnectInfo(DisconnectReason.KEEP_ALIVE_TIMEOUT, why, false, false, cause));
  }

  /** Ends the current connection with {@code info}; {@link #closed()} follows when the socket is closed. */
  private void end(DisconnectInfo info) {
    if (closeInfo == null) {
      closeInfo = info;
    }
    state = State.CLOSING;
    keepAlive.stop();
    sink.close();
  }

  /**
   * The socket failed (a TLS alert, an I/O error): the connection ends, and that failure is the
   * cause every future and event of this connection carries. Never throws.
   */
  void transportFailed(Throwable failure) {
    if (state != State.CONNECTING && state != State.CONNECTED) {
      return;
    }
    // Netty wraps what its handlers throw (an SSLHandshakeException from the SslHandler) in a DecoderException
    Throwable shown = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
    String why = "the connection failed: " + shown.getClass().getSimpleName()
      + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
    MqttException cause = new MqttException(DisconnectReason.UNSPECIFIED_ERROR, null, why, failure);
    end(new DisconnectInfo(DisconnectReason.UNSPECIFIED_ERROR, why, false, false, cause));
  }

  /** The socket closed (whoever closed it). */
  void closed() {
    if (state == State.IDLE) {
      return;
    }
    boolean wasEstablished = established;
    established = false;
    DisconnectInfo info = closeInfo != null ? closeInfo : new DisconnectInfo(DisconnectReason.UNSPECIFIED_ERROR,
      "the connection was closed by the broker or the network", true, false,
      new MqttException(DisconnectReason.UNSPECIFIED_ERROR, null, "the connection was lost"));
    state = State.IDLE;
    sink = null;
    cancelConnectTimer();
    keepAlive.stop();
    connectPromise.tryFail(new FlowException(FlowError.DISCONNECTED, "the connection closed before CONNACK: "
      + info.cause().getMessage(), info.cause()));
    outbound.disconnected();
    inbound.disconnected();
    requests.failAll(new FlowException(FlowError.DISCONNECTED, "the connection ended before the acknowledgement: "
      + info.cause().getMessage(), info.cause()));
    auth.connectionLost(info.cause());
    if (wasEstablished) {
      listener.disconnected(info);
    }
  }

  Future<PublishAck> publish(PublishRequest request) {
    return outbound.publish(request);
  }

  Future<SubscribeResult> subscribe(SubscribeRequest request) {
    if (state != State.CONNECTED) {
      return Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "not connected; subscribe after connect"));
    }
    return requests.subscribe(sink, broker, request);
  }

  Future<UnsubscribeResult> unsubscribe(List<String> filters) {
    if (state != State.CONNECTED) {
      return Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "not connected"));
    }
    return requests.unsubscribe(sink, filters);
  }

  Future<Void> reauthenticate() {
    if (!v5) {
      return Future.failedFuture(new FlowException(FlowError.INVALID, "re-authentication needs MQTT 5"));
    }
    if (state != State.CONNECTED) {
      return Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "not connected"));
    }
    return auth.reauthenticate(epoch);
  }

  /** Sends DISCONNECT and closes the connection, if there is one. Returns false when there was none. */
  boolean disconnect(DisconnectReason reason, String reasonString) {
    if (state != State.CONNECTED && state != State.CONNECTING) {
      return false;
    }
    if (state == State.CONNECTED) {
      sink.send(Packets.disconnect(v5, reason, reasonString));
    }
    end(new DisconnectInfo(reason, reasonString, false, true, new MqttException(reason, reasonString, "the client disconnected")));
    return true;
  }

  /** Fails every buffered and inflight publish: the client will not connect again. */
  void shutdown(FlowError error, String why) {
    outbound.shutdown(error, why);
  }

  /** The socket's write queue drained. */
  void writable() {
    if (state == State.CONNECTED) {
      outbound.drain();
    }
  }

  private void send(MqttMessage packet) {
    if (sink != null) {
      sink.send(packet);
    }
  }

  private void cancelConnectTimer() {
    if (connectTimer >= 0) {
      timers.cancel(connectTimer);
      connectTimer = -1;
    }
  }

  @Override
  public void send(long connection, MqttMessage packet) {
    if (connection == epoch && (state == State.CONNECTING || state == State.CONNECTED)) {
      sink.send(packet);
    }
  }

  @Override
  public void fail(long connection, DisconnectReason reason, String why) {
    if (connection == epoch && (state == State.CONNECTING || state == State.CONNECTED)) {
      MqttException cause = new MqttException(reason, why, "authentication failed");
      if (v5) {
        sink.send(Packets.disconnect(true, reason, null));
      }
      connectPromise.tryFail(cause);
      end(new DisconnectInfo(reason, why, false, false, cause));
    }
  }

  int inflightCount() {
    return outbound.inflightCount();
  }

  int bufferedCount() {
    return outbound.bufferedCount();
  }

  int inboundUnacknowledged() {
    return inbound.unacknowledged();
  }
}
