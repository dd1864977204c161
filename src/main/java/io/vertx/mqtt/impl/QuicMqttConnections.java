package io.vertx.mqtt.impl;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServerOptions;

/**
 * vertx-mqtt's server side of one connection on a socket that did not come from its {@code NetServer}
 * (FlowSDK's broker gives it a QUIC stream): the pipeline {@code MqttServerImpl} sets up for TCP and
 * the {@link MqttServerConnection} that turns packets into {@link MqttEndpoint} events. It sits in
 * vertx-mqtt's package because {@code MqttServerConnection#handleMessage} is package-private in
 * vertx-mqtt 5.0.7; it compiles against that version only, so an upgrade that changes it fails the build.
 */
public final class QuicMqttConnections {

  private QuicMqttConnections() {
  }

  /**
   * Serves MQTT on {@code socket} (whose pipeline has Vert.x's {@code handler}): a CONNECT becomes an
   * endpoint for {@code endpointHandler}; no CONNECT within the options' connect timeout closes it.
   */
  public static void serve(NetSocketInternal socket, MqttServerOptions options, Handler<MqttEndpoint> endpointHandler) {
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    // the handler names are the ones MqttServerConnection removes and replaces after the CONNECT
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(options.getMaxMessageSize(), options.getMaxClientIdLength()));
    pipeline.addBefore("handler", "idle", new IdleStateHandler(options.timeoutOnConnect(), 0, 0));
    pipeline.addBefore("handler", "timeoutOnConnect", new ChannelDuplexHandler() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && ((IdleStateEvent) evt).state() == IdleState.READER_IDLE) {
          ctx.channel().close();
        }
        super.userEventTriggered(ctx, evt);
      }
    });
    MqttServerConnection connection = new MqttServerConnection(socket, endpointHandler, null, options);
    socket.messageHandler(connection::handleMessage);
  }
}
