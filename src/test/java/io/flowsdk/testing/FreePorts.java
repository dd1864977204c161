package io.flowsdk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Random;

/** Ports for listeners that a test must know before they start (never a fixed 1883 or 50051). */
public final class FreePorts {

  private static final Random RANDOM = new Random();

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

  /**
   * A port offset (1000 to 14999) under which each of {@code defaults} (a configuration's default ports, e.g. 8080
   * and 1883 for {@code -Dflowsdk.portOffset}) was free on 127.0.0.1 a moment ago.
   */
  public static int offsetFor(int... defaults) {
    while (true) {
      int offset = 1000 + RANDOM.nextInt(14000);
      if (Arrays.stream(defaults).allMatch(port -> free(port + offset))) {
        return offset;
      }
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
