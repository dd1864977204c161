package io.flowsdk.mqtt.broker.impl;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * A vertx-mqtt {@link MqttServer} that lets the broker into each accepted connection's pipeline right after
 * vertx-mqtt set it up, before the first byte is read (so a handler there sees the CONNECT's bytes). vertx-mqtt
 * 5.0.7 offers no such hook: its {@code listen} installs the connect handler of its private {@code NetServer},
 * so that server is wrapped and the handler it is given chained with ours.
 */
final class AcceptHook {

  private static final Field NET_SERVER = netServerField();

  private AcceptHook() {
  }

  /** A server whose accepted connections' pipelines go to {@code onAccept} once vertx-mqtt's handlers are in. */
  @SuppressWarnings("unchecked")
  static MqttServer create(Vertx vertx, MqttServerOptions options, Consumer<ChannelPipeline> onAccept) {
    MqttServer server = MqttServer.create(vertx, options);
    try {
      NetServer net = (NetServer) NET_SERVER.get(server);
      NET_SERVER.set(server, Proxy.newProxyInstance(NetServer.class.getClassLoader(), new Class<?>[] {NetServer.class},
        (proxy, method, args) -> {
          if (method.getName().equals("connectHandler") && args != null && args.length == 1 && args[0] != null) {
            Handler<NetSocket> mqtt = (Handler<NetSocket>) args[0];
            net.connectHandler(so -> {
              mqtt.handle(so);
              onAccept.accept(((NetSocketInternal) so).channelHandlerContext().pipeline());
            });
            return proxy;
          }
          try {
            return method.invoke(net, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("vertx-mqtt's server changed: " + e, e);
    }
    return server;
  }

  private static Field netServerField() {
    try {
      Field f = Class.forName("io.vertx.mqtt.impl.MqttServerImpl").getDeclaredField("server");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError("vertx-mqtt 5.0.7's MqttServerImpl.server is not there: " + e);
    }
  }
}
