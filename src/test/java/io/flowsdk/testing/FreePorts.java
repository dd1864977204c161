package io.flowsdk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports for listeners that a test must know before they start (never a fixed 1883 or 50051). */
public final class FreePorts {

  private FreePorts() {
  }

  /** A TCP port that was free on 127.0.0.1 a moment ago. */
  public static int loopback() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
