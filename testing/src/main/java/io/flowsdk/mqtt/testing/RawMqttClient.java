package io.flowsdk.mqtt.testing;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A raw TCP connection to an MQTT server: sends any bytes or {@link RawPacket}s, decodes what the server sends with
 * Netty's codec and hands it out one packet at a time. Nothing is answered automatically (no PINGRESP, no PUBACK).
 * State lives on the connection's context; every method may be called from any thread.
 *
 * <pre>{@code
 * RawMqttClient.connect(vertx, "127.0.0.1", port, true)
 *   .compose(c -> c.send(RawPacket.v5().connect().build()).compose(v -> c.next(Duration.ofSeconds(2))));
 * }</pre>
 */
public final class RawMqttClient {

  private final NetClient netClient;
  private final NetSocket socket;
  private final Context context;
  private final Vertx vertx;
  private final PacketDecoder decoder;
  private final boolean v5;
  private final Buffer received = Buffer.buffer();
  private final Deque<MqttMessage> packets = new ArrayDeque<>();
  private final Promise<Void> closed = Promise.promise();
  private Promise<MqttMessage> waiting;

  private RawMqttClient(Vertx vertx, NetClient netClient, NetSocket socket, Context context, boolean v5) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.socket = socket;
    this.context = context;
    this.v5 = v5;
    this.decoder = new PacketDecoder(v5, 268_435_460);
    socket.handler(this::received);
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(e -> socket.close());
  }

  /**
   * Opens a TCP connection; packets from the server are decoded as MQTT 5.0 ({@code v5}) or 3.1.1.
   * Fails if the connection cannot be made within 5 seconds.
   */
  public static Future<RawMqttClient> connect(Vertx vertx, String host, int port, boolean v5) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000).setTcpNoDelay(true));
    Context context = vertx.getOrCreateContext();
    Promise<RawMqttClient> result = Promise.promise();
    context.runOnContext(v -> client.connect(port, host)
      .map(so -> new RawMqttClient(vertx, client, so, context, v5))
      .onFailure(e -> client.close())
      .onComplete(result));
    return result.future();
  }

  /** Sends one packet's bytes. */
  public Future<Void> send(RawPacket packet) {
    return send(packet.buffer());
  }

  /** Sends the packets' bytes in one write (a server sees them arrive together). */
  public Future<Void> send(RawPacket... packets) {
    Buffer all = Buffer.buffer();
    for (RawPacket p : packets) {
      all.appendBuffer(p.buffer());
    }
    return send(all);
  }

  /** Sends a packet built with Netty's {@code MqttMessageBuilders}, encoded by Netty for this client's version. */
  public Future<Void> send(MqttMessage packet) {
    return send(RawPacket.encode(packet, v5));
  }

  /** Sends any bytes. Fails if the connection is closed. */
  public Future<Void> send(Buffer bytes) {
    return onContext(() -> socket.write(bytes));
  }

  /**
   * The next packet the server sent (possibly one it failed to decode: see {@link MqttMessage#decoderResult()}).
   * Fails with {@link RawClientException.Kind#CLOSED} when the server closes first, with
   * {@link RawClientException.Kind#TIMEOUT} when nothing comes within {@code timeout}. One call at a time.
   */
  public Future<MqttMessage> next(Duration timeout) {
    return onContext(() -> {
      if (!packets.isEmpty()) {
        return Future.succeededFuture(packets.poll());
      }
      if (closed.future().isComplete()) {
        return Future.failedFuture(new RawClientException(RawClientException.Kind.CLOSED, "the server closed the connection"));
      }
      Promise<MqttMessage> promise = Promise.promise();
      waiting = promise;
      long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
        if (waiting == promise) {
          waiting = null;
          promise.tryFail(new RawClientException(RawClientException.Kind.TIMEOUT, "no packet within " + timeout.toMillis() + " ms"));
        }
      });
      return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    });
  }

  /** Completes when the server closes the connection; fails with {@link RawClientException.Kind#TIMEOUT} if it stays open. */
  public Future<Void> awaitClose(Duration timeout) {
    Promise<Void> result = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> result.tryFail(
      new RawClientException(RawClientException.Kind.TIMEOUT, "the connection is still open after " + timeout.toMillis() + " ms")));
    closed.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      result.tryComplete();
    });
    return result.future();
  }

  /**
   * The packets the server sent that {@link #next} has not handed out, once it closed the connection; fails with
   * {@link RawClientException.Kind#TIMEOUT} if it stays open for {@code timeout}.
   */
  public Future<List<MqttMessage>> untilClosed(Duration timeout) {
    return awaitClose(timeout).compose(v -> onContext(() -> {
      List<MqttMessage> rest = new ArrayList<>(packets);
      packets.clear();
      return Future.succeededFuture(rest);
    }));
  }

  /** Whether the server (or {@link #close()}) closed the connection. */
  public boolean isClosed() {
    return closed.future().isComplete();
  }

  /** Every byte the server sent so far, including what came before it closed. */
  public Future<Buffer> received() {
    return onContext(() -> Future.succeededFuture(received.copy()));
  }

  /** Closes the connection and the client. */
  public Future<Void> close() {
    return onContext(() -> socket.close().recover(e -> Future.succeededFuture()))
      .compose(v -> netClient.close());
  }

  private void received(Buffer bytes) {
    received.appendBuffer(bytes);
    for (MqttMessage packet : decoder.decode(bytes)) {
      Promise<MqttMessage> w = waiting;
      if (w != null) {
        waiting = null;
        w.complete(packet);
      } else {
        packets.add(packet);
      }
    }
  }

  private void onClose() {
    decoder.close();
    closed.tryComplete();
    Promise<MqttMessage> w = waiting;
    if (w != null) {
      waiting = null;
      w.fail(new RawClientException(RawClientException.Kind.CLOSED, "the server closed the connection"));
    }
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }
}
