package io.flowsdk.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mosquitto_pub and mosquitto_sub command-line clients a relay test runs, their stderr merged into
 * their output; {@link #destroyAll} kills those still running when the test ends.
 */
final class MosquittoCliClients {

  private final List<Process> processes = new ArrayList<>();

  /** Runs {@code command} (mosquitto_pub or mosquitto_sub, then its arguments) against {@code 127.0.0.1:port}. */
  Process toLoopback(int port, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(command[0], "-h", "127.0.0.1", "-p", String.valueOf(port)));
    cmd.addAll(Arrays.asList(command).subList(1, command.length));
    return start(cmd);
  }

  /** Runs {@code command} as it is, with its own host, port and TLS arguments. */
  Process start(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  /** What {@code p} printed, trimmed, once it has finished; fails when it runs longer than 15 s. */
  static String output(Process p) throws Exception {
    assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the mosquitto client did not finish within 15 s");
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  void destroyAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
