package io.flowsdk.mqtt.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * A UDP relay on 127.0.0.1 standing in for a NAT between a client and a server: the client sends to
 * {@link #port()}, the relay forwards from a socket of its own. {@link #rebind()} swaps that socket for
 * one on a new port, so the server sees the same QUIC connection arrive from a new address, as after
 * a NAT rebinding or a change of network.
 */
final class UdpRelay implements AutoCloseable {

  private final InetSocketAddress server;
  private final Selector selector = Selector.open();
  private final DatagramChannel front;
  private final Thread thread;
  private DatagramChannel back;
  private SocketAddress client;
  private volatile boolean rebindRequested;
  private volatile boolean running = true;

  UdpRelay(int serverPort) throws IOException {
    server = new InetSocketAddress("127.0.0.1", serverPort);
    front = open();
    back = open();
    thread = new Thread(this::run, "udp-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private DatagramChannel open() throws IOException {
    DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    channel.configureBlocking(false);
    channel.register(selector, SelectionKey.OP_READ);
    return channel;
  }

  int port() throws IOException {
    return ((InetSocketAddress) front.getLocalAddress()).getPort();
  }

  /** The port the server sees the client's packets come from now. */
  synchronized int sourcePort() throws IOException {
    return ((InetSocketAddress) back.getLocalAddress()).getPort();
  }

  /** From the next packet on, forwards from a new socket (a new source port). */
  void rebind() {
    rebindRequested = true;
    selector.wakeup();
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocate(65536);
    try {
      while (running) {
        selector.select(100);
        if (rebindRequested) {
          swapBack();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel from = (DatagramChannel) key.channel();
          buffer.clear();
          SocketAddress sender = from.receive(buffer);
          if (sender == null || !from.isOpen()) {
            continue;
          }
          buffer.flip();
          if (from == front) {
            client = sender;
            back.send(buffer, server);
          } else if (client != null) {
            front.send(buffer, client);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      running = false;
    }
  }

  private synchronized void swapBack() throws IOException {
    DatagramChannel old = back;
    back = open();
    old.close();
    rebindRequested = false;
  }

  @Override
  public void close() throws Exception {
    running = false;
    selector.wakeup();
    thread.join(5000);
    front.close();
    back.close();
    selector.close();
  }
}
