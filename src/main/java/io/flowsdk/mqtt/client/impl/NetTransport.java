package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.protocol.MqttSockets;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TCP or TLS connections for one client: a Vert.x {@link NetClient} whose sockets get Netty's MQTT
 * encoder and decoder in their pipeline, so the session sees decoded packets and writes packets.
 */
final class NetTransport implements Transport {

  private final MqttClientOptions options;
  private final NetClient client;

  NetTransport(Vertx vertx, MqttClientOptions options) {
    this.options = options;
    this.client = vertx.createNetClient(netOptions(options));
  }

  static NetClientOptions netOptions(MqttClientOptions o) {
    NetClientOptions net = new NetClientOptions()
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, o.getConnectTimeoutMillis()))
      .setTcpNoDelay(true);
    if (o.isSsl()) {
      net.setSsl(true)
        .setTrustAll(o.isTrustAll())
        .setHostnameVerificationAlgorithm(o.isVerifyHost() ? "HTTPS" : "");
      if (o.getCaCertPath() != null) {
        net.setTrustOptions(new PemTrustOptions().addCertPath(o.getCaCertPath()));
      }
      if (o.getCertPath() != null && o.getKeyPath() != null) {
        net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(o.getCertPath()).setKeyPath(o.getKeyPath()));
      }
    }
    return net;
  }

  @Override
  public Future<PacketSink> open(ClientSession session, Runnable onClose) {
    return client.connect(options.getPort(), options.getHost())
      .recover(e -> Future.failedFuture(new FlowException(FlowError.DISCONNECTED, "cannot connect to "
        + options.getHost() + ":" + options.getPort() + ": " + e.getMessage(), e)))
      .map(so -> attach(MqttSockets.installClient((NetSocketInternal) so, options.getMaximumPacketSize()), session, onClose));
  }

  /**
   * Feeds the packets of a socket with the MQTT codec installed to {@code session} and reports its close;
   * the sink writes to it. Shared with {@link QuicTransport}, whose stream is such a socket too.
   */
  static PacketSink attach(NetSocketInternal soi, ClientSession session, Runnable onClose) {
    soi.messageHandler(msg -> {
      try {
        if (msg instanceof MqttMessage) {
          session.receive((MqttMessage) msg);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    });
    soi.exceptionHandler(e -> {
      session.transportFailed(e);
      soi.close();
    });
    soi.drainHandler(v -> session.writable());
    soi.closeHandler(v -> {
      session.closed();
      onClose.run();
    });
    return new CoalescingSink(soi);
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  /**
   * Writes packets without a flush each and flushes once after the current event-loop task, so a
   * burst of publishes costs one system call instead of one per packet.
   */
  private static final class CoalescingSink implements PacketSink {
    private final NetSocketInternal socket;
    private final ChannelHandlerContext ctx;
    private final Runnable flush = this::flush;
    private boolean flushScheduled;

    CoalescingSink(NetSocketInternal socket) {
      this.socket = socket;
      this.ctx = socket.channelHandlerContext();
    }

    @Override
    public void send(MqttMessage packet) {
      if (!ctx.executor().inEventLoop()) {
        socket.writeMessage(packet); // a worker context: let Vert.x hop to the event loop
        return;
      }
      ctx.write(packet, ctx.voidPromise());
      if (!flushScheduled) {
        flushScheduled = true;
        ctx.executor().execute(flush);
      }
    }

    private void flush() {
      flushScheduled = false;
      ctx.flush();
    }

    @Override
    public boolean writable() {
      return !socket.writeQueueFull();
    }

    @Override
    public void close() {
      if (ctx.executor().inEventLoop()) {
        ctx.flush();
      }
      socket.close();
    }
  }
}
