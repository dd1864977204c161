package io.flowsdk.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle MQTT 3.1.1 connections to one server, each a bare socket that sent CONNECT (clean session,
 * keep-alive 0, so the server never expects a PINGREQ) and got CONNACK "accepted": what a crowd of
 * quiet devices costs a server or a relay, with as little client as there can be.
 */
public final class IdleMqttClients {

  private static final long CONNACK_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private final NetClient client;
  private final Queue<NetSocket> sockets = new ConcurrentLinkedQueue<>();

  private IdleMqttClients(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) CONNACK_TIMEOUT_MILLIS));
  }

  /**
   * Opens {@code count} connections, at most {@code concurrency} at a time, client ids {@code idPrefix0},
   * {@code idPrefix1} ...; fails when one is refused or gets no CONNACK within 10 s (the others stay open:
   * {@link #close()} them).
   */
  public static Future<IdleMqttClients> open(Vertx vertx, String host, int port, String idPrefix, int count, int concurrency) {
    IdleMqttClients clients = new IdleMqttClients(vertx);
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(concurrency, count); w++) {
      workers.add(clients.openFrom(next, count, host, port, idPrefix));
    }
    return Future.all(workers).map(clients);
  }

  private Future<Void> openFrom(AtomicInteger next, int count, String host, int port, String idPrefix) {
    int n = next.getAndIncrement();
    if (n >= count) {
      return Future.succeededFuture();
    }
    String id = idPrefix + n;
    return connect(host, port, id).compose(v -> openFrom(next, count, host, port, idPrefix));
  }

  private Future<Void> connect(String host, int port, String clientId) {
    return client.connect(port, host).compose(socket -> {
      sockets.add(socket);
      Promise<Void> accepted = Promise.promise();
      Buffer received = Buffer.buffer();
      long timer = vertx.setTimer(CONNACK_TIMEOUT_MILLIS, t -> accepted.tryFail("no CONNACK for " + clientId + " within "
        + CONNACK_TIMEOUT_MILLIS + " ms"));
      socket.handler(bytes -> {
        if (received.length() < 4) {
          received.appendBuffer(bytes);
          if (received.length() >= 4) {
            vertx.cancelTimer(timer);
            if (received.getByte(0) == 0x20 && received.getByte(1) == 2 && received.getByte(3) == 0) {
              accepted.tryComplete();
            } else {
              accepted.tryFail(clientId + " was answered " + received.getBuffer(0, 4) + ", not CONNACK accepted");
            }
          }
        }
      });
      socket.closeHandler(v -> accepted.tryFail(clientId + ": the server closed the connection before its CONNACK"));
      socket.write(connect(clientId));
      return accepted.future();
    });
  }

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 0, no will, no credentials. */
  static Buffer connect(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    if (id.length > 100) {
      throw new IllegalArgumentException("client id longer than 100 bytes: " + clientId);
    }
    return Buffer.buffer().appendByte((byte) 0x10).appendByte((byte) (12 + id.length))
      .appendBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0})
      .appendShort((short) id.length).appendBytes(id);
  }

  /** How many connections are open (those whose CONNACK is still awaited included). */
  public int size() {
    return sockets.size();
  }

  /** Closes every connection (without DISCONNECT, as a device that vanishes) and the client; completes when all closed. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (NetSocket socket; (socket = sockets.poll()) != null; ) {
      closing.add(socket.close());
    }
    return Future.join(closing).transform(ar -> client.close());
  }
}
