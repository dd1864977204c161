package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.protocol.WireCheck;
import io.flowsdk.mqtt.protocol.WireViolation;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttAuthenticateReasonCode;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubCompReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRelReasonCode;

import java.lang.reflect.Field;
import java.util.ArrayDeque;

/**
 * What a client sends after its CONNECT, checked before vertx-mqtt's handler sees it.
 *
 * <p>Until the broker answered the CONNECT (authentication and opening the session take a while, off
 * this event loop), packets are held and reading stops: vertx-mqtt would otherwise close a
 * connection whose client sends, as MQTT allows, a PUBLISH right behind its CONNECT.
 *
 * <p>vertx-mqtt 5.0.7 reads the reason code of a client's PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT
 * and AUTH into its enums and throws on a value the specification does not define: the exception
 * escapes onto the event loop, the packet is ignored and the connection stays open (found by
 * {@code MqttBrokerFuzzTest}). This handler, in front of vertx-mqtt's, turns such a packet into the
 * malformed-packet failure it is, so the connection closes (MQTT 5: DISCONNECT 0x81) like for any
 * other bad packet. A {@link WireViolation} the {@link WireCheck} found in the bytes reaches the
 * connection the same way, in its place among the packets, and so does a second CONNECT, as the Protocol Error
 * it is (MQTT 5: DISCONNECT 0x82). It also drops what arrives once the broker closed the connection (a packet read
 * in the same buffer as the one that made it close), which vertx-mqtt would throw on as well.
 *
 * <p>It paces a publishing client: after {@value #PUBLISH_BATCH} PUBLISH packets it holds the rest and
 * stops reading until a task queued behind theirs on this event loop runs, i.e. until the hand-offs of
 * those messages to the sessions (also tasks on this event loop) ran. A burst read in a few socket
 * reads would otherwise queue more hand-offs than the flow bus lets wait for one subscription
 * (1,024 + 64), and the bus dropped the rest, QoS 0 below any configured limit. The client is slowed
 * by TCP instead, as MQTT has no other flow control for QoS 0.
 */
final class InboundGuard extends ChannelInboundHandlerAdapter {

  /** vertx-mqtt's last handler of a connection's pipeline, the one that throws. */
  private static final String VERTX_HANDLER = "handler";
  private static final Field CONNECTION = connectionField();
  /** PUBLISH packets passed on between two turns of the broker's event loop. */
  static final int PUBLISH_BATCH = 64;

  private final MqttEndpoint endpoint;
  /**
   * Packets that came before the CONNACK or while pacing, at most what one read decoded (reading
   * stops at the first).
   */
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private ChannelHandlerContext context;
  private boolean open;
  /** A batch of PUBLISH packets went on; what comes waits until the event loop ran their hand-offs. */
  private boolean pacing;
  private int publishesLeft = PUBLISH_BATCH;

  private InboundGuard(MqttEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** Puts a guard in front of vertx-mqtt's handler of {@code endpoint}'s connection, as the CONNECT arrives. */
  static InboundGuard install(MqttEndpoint endpoint) {
    InboundGuard guard = new InboundGuard(endpoint);
    socketOf(endpoint).channelHandlerContext().pipeline().addBefore(VERTX_HANDLER, "flowsdk.inboundGuard", guard);
    return guard;
  }

  /** The Vert.x socket under {@code endpoint}, which vertx-mqtt 5.0.7 does not show. */
  static NetSocketInternal socketOf(MqttEndpoint endpoint) {
    try {
      return (NetSocketInternal) CONNECTION.get(endpoint);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("vertx-mqtt's endpoint changed: " + e, e);
    }
  }

  private static Field connectionField() {
    try {
      Field f = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError("vertx-mqtt 5.0.7's MqttEndpointImpl.conn is not there: " + e);
    }
  }

  /** The CONNACK went out: what the client sent meanwhile goes on, in order, and reading resumes. */
  void open() {
    if (context.executor().inEventLoop()) {
      release();
    } else {
      context.executor().execute(this::release);
    }
  }

  private void release() {
    open = true;
    pacing = false;
    publishesLeft = PUBLISH_BATCH;
    boolean released = !held.isEmpty();
    while (!held.isEmpty() && !pacing) {
      pass(context, held.poll());
    }
    if (released) {
      context.fireChannelReadComplete(); // Vert.x may queue what it is handed outside a read, until the read completes
    }
    context.channel().config().setAutoRead(held.isEmpty());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    held.forEach(ReferenceCountUtil::release);
    held.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!open || pacing) {
      held.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    pass(ctx, msg);
  }

  private void pass(ChannelHandlerContext ctx, Object msg) {
    if (!endpoint.isConnected()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof WireViolation v) { // from the WireCheck, in order with the packets before it
      ctx.fireExceptionCaught(new ProtocolViolation(MqttDisconnectReasonCode.valueOf((byte) v.reasonCode()), v.getMessage()));
      return;
    }
    if (isConnect(msg)) {
      ReferenceCountUtil.release(msg);
      ctx.fireExceptionCaught(new ProtocolViolation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "a second CONNECT (MQTT-3.1.0-2)"));
      return;
    }
    String problem = msg instanceof MqttMessage && ((MqttMessage) msg).decoderResult().isSuccess()
      ? undefinedReasonCode((MqttMessage) msg) : null;
    if (problem == null) {
      boolean publish = isPublish(msg);
      ctx.fireChannelRead(msg);
      if (publish && --publishesLeft == 0) {
        pacing = true;
        ctx.executor().execute(this::release);
      }
      return;
    }
    ReferenceCountUtil.release(msg);
    ctx.fireExceptionCaught(new DecoderException(problem));
  }

  /**
   * Whether {@code msg} is a CONNECT, decoded or refused by Netty's decoder for its protocol name or level (such a
   * refusal comes without a fixed header). Everything past the guard follows the first CONNECT, so it is a second one,
   * which vertx-mqtt would not report as the Protocol Error it is: a decoded one it answers by closing the connection
   * without a reason, a refused one with a CONNACK from an endpoint it makes for it in place of the connection's,
   * whose close handler then never runs (found by {@code MqttBrokerFuzzTest}: the client stayed connected, and its
   * session attached, after its socket closed).
   */
  private static boolean isConnect(Object msg) {
    return msg instanceof MqttMessage m && (m.fixedHeader() != null && m.fixedHeader().messageType() == MqttMessageType.CONNECT
      || m.decoderResult().cause() instanceof MqttUnacceptableProtocolVersionException);
  }

  /** Whether {@code msg} is a PUBLISH (a failed decode may come without a fixed header). */
  private static boolean isPublish(Object msg) {
    return msg instanceof MqttMessage m && m.fixedHeader() != null && m.fixedHeader().messageType() == MqttMessageType.PUBLISH;
  }

  /** Why {@code m}'s reason code is not one its packet type may carry, or null when it is (or it has none). */
  private static String undefinedReasonCode(MqttMessage m) {
    Object header = m.variableHeader();
    byte code;
    if (header instanceof MqttPubReplyMessageVariableHeader) {
      code = ((MqttPubReplyMessageVariableHeader) header).reasonCode();
    } else if (header instanceof MqttReasonCodeAndPropertiesVariableHeader) {
      code = ((MqttReasonCodeAndPropertiesVariableHeader) header).reasonCode();
    } else {
      return null;
    }
    try {
      switch (m.fixedHeader().messageType()) {
        case PUBACK -> MqttPubAckReasonCode.valueOf(code);
        case PUBREC -> MqttPubRecReasonCode.valueOf(code);
        case PUBREL -> MqttPubRelReasonCode.valueOf(code);
        case PUBCOMP -> MqttPubCompReasonCode.valueOf(code);
        case DISCONNECT -> MqttDisconnectReasonCode.valueOf(code);
        case AUTH -> MqttAuthenticateReasonCode.valueOf(code);
        default -> {
          return null;
        }
      }
      return null;
    } catch (IllegalArgumentException e) {
      return m.fixedHeader().messageType() + " with reason code 0x" + Integer.toHexString(code & 0xFF)
        + ", which the specification does not define for it";
    }
  }
}
