package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** MQTT over WebSocket: binary messages, subprotocol {@code mqtt}, TLS when {@code ssl} is set. */
final class WebSocketTransport implements Transport {

  private final MqttClientOptions options;
  private final WebSocketClient client;

  WebSocketTransport(Vertx vertx, MqttClientOptions options) {
    this.options = options;
    this.client = vertx.createWebSocketClient(clientOptions(options));
  }

  private static WebSocketClientOptions clientOptions(MqttClientOptions o) {
    int max = o.getMaximumPacketSize() + 8;
    WebSocketClientOptions ws = new WebSocketClientOptions()
      .setMaxFrameSize(max)
      .setMaxMessageSize(max);
    ws.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, o.getConnectTimeoutMillis()));
    ws.setTcpNoDelay(true);
    if (o.isSsl()) {
      ws.setSsl(true);
      ws.setTrustAll(o.isTrustAll());
      ws.setVerifyHost(o.isVerifyHost());
      if (o.getCaCertPath() != null) {
        ws.setTrustOptions(new PemTrustOptions().addCertPath(o.getCaCertPath()));
      }
      if (o.getCertPath() != null && o.getKeyPath() != null) {
        ws.setKeyCertOptions(new PemKeyCertOptions().setCertPath(o.getCertPath()).setKeyPath(o.getKeyPath()));
      }
    }
    return ws;
  }

  @Override
  public Future<PacketSink> open(ClientSession session, Runnable onClose) {
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
      .setHost(options.getHost())
      .setPort(options.getPort())
      .setURI(options.getWebSocketPath())
      .setSsl(options.isSsl())
      .addSubProtocol("mqtt");
    return client.connect(connect)
      .recover(e -> Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "cannot open a WebSocket to "
        + options.getHost() + ":" + options.getPort() + options.getWebSocketPath() + ": " + e.getMessage(), e)))
      .map(ws -> attach(ws, session, onClose));
  }

  private PacketSink attach(WebSocket ws, ClientSession session, Runnable onClose) {
    MqttFraming framing = new MqttFraming(options.getMaximumPacketSize());
    ws.binaryMessageHandler(bytes -> framing.decode(bytes, session::receive));
    // MQTT over WebSocket is binary only (MQTT 5 §6.0): a text message ends the connection
    ws.textMessageHandler(text -> ws.close());
    ws.exceptionHandler(e -> {
      session.transportFailed(e);
      ws.close();
    });
    ws.drainHandler(v -> session.writable());
    ws.closeHandler(v -> {
      framing.close();
      session.closed();
      onClose.run();
    });
    return new PacketSink() {
      @Override
      public void send(MqttMessage packet) {
        ws.writeBinaryMessage(framing.encode(packet));
      }

      @Override
      public boolean writable() {
        return !ws.writeQueueFull();
      }

      @Override
      public void close() {
        ws.close();
      }
    };
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
