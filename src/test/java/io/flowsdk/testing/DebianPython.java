package io.flowsdk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's {@code /usr/bin/python3} with its packages (python3-grpcio, python3-protobuf, python3-grpc-tools,
 * python3-paho-mqtt, installed by {@code ./test}): the independent non-JVM stacks of the interop tests.
 */
public final class DebianPython {

  public static final String PYTHON = "/usr/bin/python3";

  private DebianPython() {
  }

  /** Fails (never skips) when Debian's Python gRPC stack is missing, naming the packages to install. */
  public static void requireGrpc() throws Exception {
    require("grpc, google.protobuf, grpc_tools.protoc", "python3-grpcio python3-protobuf python3-grpc-tools");
  }

  /** Fails (never skips) when Debian's Paho MQTT client for Python is missing. */
  public static void requirePaho() throws Exception {
    require("paho.mqtt.client", "python3-paho-mqtt");
  }

  private static void require(String modules, String packages) throws Exception {
    String missing = "the Debian packages " + packages + " (apt-get install -y " + packages + "; ./test installs them)";
    Process check;
    try {
      check = new ProcessBuilder(PYTHON, "-c", "import " + modules).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(PYTHON + " is missing; this interop test needs python3 and " + missing, e);
    }
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
      check.destroyForcibly();
      fail(PYTHON + " cannot import " + modules + "; install " + missing + "\n" + output);
    }
  }

  /**
   * Runs {@code python3 args...}, its output going to {@code dir/name.out} and {@code dir/name.err};
   * fails unless it exits 0 within 60 s. Returns the lines it printed on stdout.
   */
  public static List<String> run(Path dir, String name, String... args) throws Exception {
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    List<String> command = new ArrayList<>(List.of(PYTHON));
    command.addAll(List.of(args));
    Process python = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    try {
      if (!python.waitFor(60, TimeUnit.SECONDS)) {
        fail(String.join(" ", command) + " did not finish in 60 s; stderr: " + Files.readString(stderr));
      }
      assertEquals(0, python.exitValue(), String.join(" ", command) + " failed; stderr:\n" + Files.readString(stderr)
        + "\nstdout:\n" + Files.readString(stdout));
    } finally {
      python.destroyForcibly();
    }
    return Files.readAllLines(stdout);
  }
}
