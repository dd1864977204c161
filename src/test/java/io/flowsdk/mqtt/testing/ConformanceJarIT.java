package io.flowsdk.mqtt.testing;

import io.flowsdk.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar flowsdk-mqtt-testing.jar} on its own (no other classpath) against Mosquitto. */
class ConformanceJarIT {

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create().quiet();

  private static final Path JAR = Path.of(System.getProperty("flowsdk.jar", "target/flowsdk-vertx.jar"))
    .toAbsolutePath().resolveSibling("flowsdk-mqtt-testing.jar");

  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    return new Result(p.exitValue(), out);
  }

  record Result(int exit, String out) {
  }

  @Test
  void givenMosquitto_whenTheJarRunsAPassingAndAFailingCase_thenItPrintsBothRowsAndExits1() throws Exception {
    Result r = run("--host", broker.host(), "--port", String.valueOf(broker.port()), "--wait-ms", "1000",
      "--case", "v311-publish-qos-3", "--case", "v5-pingreq-wrong-flags");

    assertEquals(1, r.exit(), r.out());
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.get(0).matches("case +statement +expected +observed +result"), r.out());
    assertTrue(lines.get(1).matches("v311-publish-qos-3 +MQTT-3\\.3\\.1-4 +close +nothing, closed +PASS"), r.out());
    assertTrue(lines.get(2).matches("v5-pingreq-wrong-flags +MQTT-2\\.1\\.3-1 +close \\(0x81 allowed\\) +PINGRESP, still open +FAIL"), r.out());
    assertEquals(broker.host() + ":" + broker.port() + ": 1 of 2 passed.", lines.get(3));
  }

  @Test
  void givenNoServer_whenTheJarRuns_thenItPrintsTheUsageAndExits2() throws Exception {
    Result r = run("--wait-ms", "5");

    assertEquals(2, r.exit(), r.out());
    assertTrue(r.out().startsWith("no server given\nusage: --host H --port P"), r.out());
  }
}
