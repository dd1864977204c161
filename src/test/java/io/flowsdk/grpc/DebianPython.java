package io.flowsdk.grpc;

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
 * Debian's {@code /usr/bin/python3} with its gRPC packages (python3-grpcio, python3-protobuf,
 * python3-grpc-tools, installed by {@code ./test}): the independent non-JVM stack of the interop tests.
 */
final class DebianPython {

  static final String PYTHON = "/usr/bin/python3";

  private DebianPython() {
  }

  /** Fails (never skips) when Debian's Python gRPC stack is missing, naming the packages to install. */
  static void requireGrpc() throws Exception {
    String missing = "the Debian packages python3-grpcio python3-protobuf python3-grpc-tools"
      + " (apt-get install -y python3-grpcio python3-protobuf python3-grpc-tools; ./test installs them)";
    Process check;
    try {
      check = new ProcessBuilder(PYTHON, "-c", "import grpc, google.protobuf, grpc_tools.protoc")
        .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(PYTHON + " is missing; this interop test needs python3 and " + missing, e);
    }
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
      check.destroyForcibly();
      fail(PYTHON + " cannot import grpc, google.protobuf and grpc_tools; install " + missing + "\n" + output);
    }
  }

  /**
   * Runs {@code python3 args...}, its output going to {@code dir/name.out} and {@code dir/name.err};
   * fails unless it exits 0 within 60 s. Returns the lines it printed on stdout.
   */
  static List<String> run(Path dir, String name, String... args) throws Exception {
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
