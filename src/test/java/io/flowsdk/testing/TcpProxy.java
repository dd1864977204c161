package io.flowsdk.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free 127.0.0.1 port in front of a broker, so a test can cut a client's connection
 * ({@link #cutAll()}) or make the link silently drop traffic ({@link #blackhole(boolean)}) without the
 * client knowing. New connections are accepted and forwarded as long as the proxy runs. It also
 * records what the clients sent ({@link #sentUpstream()}), for tests that check the bytes on the wire.
 */
public final class TcpProxy {

  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackhole;
  /** Guarded by itself: written on the proxy's event loop, read by the test. */
  private final Buffer upstream = Buffer.buffer();

  private TcpProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  /** Starts a proxy forwarding to {@code host:port}. */
  public static Future<TcpProxy> start(Vertx vertx, String host, int port) {
    NetServer server = vertx.createNetServer();
    NetClient client = vertx.createNetClient();
    TcpProxy proxy = new TcpProxy(server, client);
    server.connectHandler(down -> {
      down.pause();
      proxy.sockets.add(down);
      client.connect(port, host).onComplete(ar -> {
        if (ar.failed()) {
          down.close();
          return;
        }
        NetSocket up = ar.result();
        proxy.sockets.add(up);
        down.handler(buf -> {
          if (!proxy.blackhole) {
            synchronized (proxy.upstream) {
              proxy.upstream.appendBuffer(buf);
            }
            up.write(buf);
          }
        });
        up.handler(buf -> {
          if (!proxy.blackhole) {
            down.write(buf);
          }
        });
        down.closeHandler(v -> up.close());
        up.closeHandler(v -> down.close());
        down.resume();
      });
    });
    return server.listen(0, "127.0.0.1").map(proxy);
  }

  public int port() {
    return server.actualPort();
  }

  /** A copy of every byte the clients sent to the broker through this proxy, all connections in arrival order. */
  public Buffer sentUpstream() {
    synchronized (upstream) {
      return upstream.copy();
    }
  }

  /** While on, bytes in both directions are dropped: a dead link that still looks open. */
  public void blackhole(boolean on) {
    blackhole = on;
  }

  /** Closes every proxied connection (both sides), as a network failure would. */
  public void cutAll() {
    for (NetSocket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  public Future<Void> close() {
    cutAll();
    return server.close().compose(v -> client.close());
  }
}
