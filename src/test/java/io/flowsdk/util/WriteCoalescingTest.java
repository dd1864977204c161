package io.flowsdk.util;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that writes 1000 HTTP/2 DATA frames in one event-loop task outside a socket read (as the
 * gateway does for bus deliveries): Vert.x alone flushes the socket once per frame, with
 * {@link WriteCoalescing} a handful of times, and the client still gets every byte.
 */
class WriteCoalescingTest {

  private static final int FRAMES = 1000;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Counts the flushes that reach the socket: installed nearest the head, below any other handler. */
  private static final class SocketFlushes extends ChannelOutboundHandlerAdapter {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count.incrementAndGet();
      ctx.flush();
    }
  }

  private int socketFlushesFor1000Frames(boolean coalescing) throws Exception {
    SocketFlushes flushes = new SocketFlushes();
    HttpServer server = vertx.createHttpServer()
      .connectionHandler((HttpConnection c) -> {
        if (coalescing) {
          WriteCoalescing.install(c);
        }
        ((ConnectionBase) c).channelHandlerContext().pipeline().addFirst(flushes);
      })
      .requestHandler(request -> vertx.getOrCreateContext().runOnContext(v -> {
        request.response().setChunked(true);
        for (int i = 0; i < FRAMES; i++) {
          request.response().write(Buffer.buffer("0123456789"));
        }
        request.response().end();
      }));
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false));
    Buffer body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
      .compose(req -> req.send().compose(response -> response.body()))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(FRAMES * 10, body.length(), "every frame arrived");
    return flushes.count.get();
  }

  @Test
  void givenVertxAlone_when1000FramesAreWrittenInOneTask_thenTheSocketIsFlushedForEachFrame() throws Exception {
    int flushes = socketFlushesFor1000Frames(false);
    assertTrue(flushes >= FRAMES, "Vert.x 5.0.7 flushes after every frame outside a read: " + flushes);
  }

  @Test
  void givenWriteCoalescing_when1000FramesAreWrittenInOneTask_thenTheSocketIsFlushedOncePerTurnOrPerDeferredLimit()
    throws Exception {
    int flushes = socketFlushesFor1000Frames(true);
    assertTrue(flushes <= FRAMES / WriteCoalescing.MAX_DEFERRED_FLUSHES + 10, "one flush per turn or per "
      + WriteCoalescing.MAX_DEFERRED_FLUSHES + " deferred ones: " + flushes);
  }
}
