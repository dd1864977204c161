package io.flowsdk.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes HTTP/1.x connections of a Vert.x server that send part of a request's headers and then
 * stall, and counts them and the connections Vert.x closes for being idle
 * ({@code HttpServerOptions.idleTimeout}). Vert.x has no request-header timeout of its own: it
 * keeps a connection that sent {@code GET /hea} as long as bytes trickle in. The deadline starts
 * with the first byte of a request and ends when its headers are decoded.
 */
final class HttpConnectionTimeouts {

  private final long requestHeaderTimeoutMillis;
  private final Counter headerTimeouts;
  private final Counter idleClosed;

  HttpConnectionTimeouts(MeterRegistry registry, String listener, long requestHeaderTimeoutMillis) {
    this.requestHeaderTimeoutMillis = requestHeaderTimeoutMillis;
    this.headerTimeouts = Counter.builder("flowsdk_http_request_header_timeouts_total")
      .description("HTTP connections closed because a request's headers did not arrive in requestHeaderTimeoutMillis")
      .tag("listener", listener).register(registry);
    this.idleClosed = Counter.builder("flowsdk_http_idle_closed_total")
      .description("HTTP connections closed after idleTimeoutMillis without traffic")
      .tag("listener", listener).register(registry);
  }

  /** Watches {@code connection}; an HTTP/2 connection (no HTTP/1.x decoder) is left alone. Runs on its event loop. */
  void watch(HttpConnection connection) {
    ChannelPipeline pipeline = ((ConnectionBase) connection).channelHandlerContext().pipeline();
    if (pipeline.get("httpDecoder") == null || pipeline.get("idle") == null) {
      return;
    }
    Deadline deadline = new Deadline();
    pipeline.addBefore("httpDecoder", "flowsdk.requestBytes", deadline.bytes);
    pipeline.addAfter("idle", "flowsdk.requestHeaders", deadline.messages);
  }

  /** The state of one connection, touched only on its event loop. */
  private final class Deadline {

    private long requestsDecoded;
    private long responsesEnded;
    private ScheduledFuture<?> timer;

    /** Before the decoder: the first byte of a request while none is in progress starts the deadline. */
    final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable() && timer == null && requestsDecoded == responsesEnded) {
          timer = ctx.executor().schedule(() -> {
            headerTimeouts.increment();
            ctx.close();
          }, requestHeaderTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
      }
    };

    /** After the codec: decoded headers end the deadline, an ended response opens the next one, idle closes are counted. */
    final ChannelDuplexHandler messages = new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
          requestsDecoded++;
          cancel();
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
          responsesEnded++;
        }
        ctx.write(msg, promise);
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
          idleClosed.increment();
        }
        ctx.fireUserEventTriggered(event);
      }
    };

    private void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }
}
