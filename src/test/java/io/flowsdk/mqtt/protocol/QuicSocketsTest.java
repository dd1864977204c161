package io.flowsdk.mqtt.protocol;

import io.flowsdk.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A QUIC stream as a Vert.x socket: its bytes, and the UDP addresses of its connection. */
class QuicSocketsTest {

  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenAStreamWrappedOnItsEventLoop_whenTheClientWrites_thenTheSocketReadsItAndNamesTheClientsUdpAddress(
    @TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    join(QuicSockets.loadNative(vertx));
    VertxInternal vx = (VertxInternal) vertx;
    ContextInternal context = vx.createEventLoopContext();
    Promise<String> received = Promise.promise();
    Promise<String> remote = Promise.promise();
    Channel server = new Bootstrap().group(context.nettyEventLoop()).channelFactory(() -> vx.transport().datagramChannel())
      .handler(new QuicServerCodecBuilder()
        .sslContext(QuicSslContextBuilder.forServer(pki.serverKey().toFile(), null, pki.serverCert().toFile())
          .applicationProtocols(QuicSockets.ALPN).build())
        .maxIdleTimeout(10, TimeUnit.SECONDS).initialMaxData(1 << 16).initialMaxStreamDataBidirectionalRemote(1 << 16)
        .initialMaxStreamsBidirectional(1)
        .handler(new ChannelInboundHandlerAdapter())
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel stream) {
            NetSocketInternal socket = QuicSockets.wrap(context, stream);
            remote.tryComplete(socket.remoteAddress().host() + ":" + socket.remoteAddress().port());
            socket.handler((Buffer bytes) -> received.tryComplete(bytes.toString()));
          }
        }).build())
      .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();

    Channel udp = new Bootstrap().group(context.nettyEventLoop()).channelFactory(() -> vx.transport().datagramChannel())
      .handler(new QuicClientCodecBuilder()
        .sslContext(QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
          .applicationProtocols(QuicSockets.ALPN).build())
        .maxIdleTimeout(10, TimeUnit.SECONDS).initialMaxData(1 << 16).initialMaxStreamDataBidirectionalLocal(1 << 16)
        .build())
      .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    QuicChannel client = QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter())
      .remoteAddress(server.localAddress()).connect().get(10, TimeUnit.SECONDS);
    client.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS)
      .writeAndFlush(Unpooled.wrappedBuffer("hello".getBytes())).sync();

    assertEquals("hello", join(received.future()));
    assertEquals("127.0.0.1:" + ((InetSocketAddress) udp.localAddress()).getPort(), join(remote.future()));
    client.close().sync();
    udp.close().sync();
    server.close().sync();
  }
}
