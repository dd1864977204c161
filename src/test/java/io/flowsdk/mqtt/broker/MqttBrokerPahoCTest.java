package io.flowsdk.mqtt.broker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker with a non-JVM peer: Debian's Paho C sample clients ({@code paho_c_pub}, {@code paho_c_sub} from
 * paho.mqtt.c-examples, installed by {@code ./test}) over MQTT 5. The subscriber's protocol trace shows each
 * PUBLISH it received with its QoS and RETAIN flag.
 */
class MqttBrokerPahoCTest {

  private static final String PUB = "/usr/bin/paho_c_pub";
  private static final String SUB = "/usr/bin/paho_c_sub";
  /** A trace line of a received PUBLISH: {@code <- PUBLISH msgid: 1 qos: 2 retained: 0 payload len(5): hello}. */
  private static final Pattern RECEIVED = Pattern.compile("<- PUBLISH msgid: \\d+ qos: (\\d) retained: (\\d) payload len\\(\\d+\\): (.*)$");

  static BrokerPeers peers;
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    for (String binary : List.of(PUB, SUB)) {
      assertTrue(Files.isExecutable(Path.of(binary)),
        binary + " is missing: install the Debian package paho.mqtt.c-examples (./test installs it)");
    }
    peers = BrokerPeers.start(BrokerPeers.onFreePort());
  }

  @AfterAll
  static void stop() throws Exception {
    peers.close();
  }

  @AfterEach
  void stopClients() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void givenPahoCSub_whenPahoCPubSendsAtQos012_thenEachArrivesOnceAtItsQos() throws Exception {
    Lines sub = subscribe("c-qos-sub", "c/qos", "--trace", "protocol");
    publish("-q", "0", "-t", "c/qos", "-m", "zero");
    publish("-q", "1", "-t", "c/qos", "-m", "one");
    publish("-q", "2", "-t", "c/qos", "-m", "two");
    publish("-q", "2", "-t", "c/qos", "-m", "marker");
    assertEquals(List.of("0 0 zero", "1 0 one", "2 0 two", "2 0 marker"), sub.publishesUpTo("marker"));
  }

  @Test
  void givenARetainedMessageReplacedThenCleared_whenPahoCSubscribes_thenItGetsOnlyWhatIsRetainedThen() throws Exception {
    publish("-q", "1", "-r", "-t", "c/retained", "-m", "first");
    publish("-q", "1", "-r", "-t", "c/retained", "-m", "second");
    Lines early = subscribe("c-retained-early", "c/retained", "--trace", "protocol");
    assertEquals(List.of("1 1 second"), early.publishesUpTo("second"), "the latest retained one, RETAIN set");

    publish("-q", "1", "-r", "-t", "c/retained", "-n");
    Lines late = subscribe("c-retained-late", "c/retained", "--trace", "protocol");
    publish("-q", "1", "-t", "c/retained", "-m", "live");
    assertEquals(List.of("1 0 live"), late.publishesUpTo("live"), "the cleared message is not sent");
  }

  @Test
  void givenPahoCSubWithAWill_whenItIsKilled_thenTheWillArrivesAndNotOnItsNormalDisconnect() throws Exception {
    Lines watcher = subscribe("c-will-watcher", "c/will", "--trace", "protocol");
    Process polite = new ProcessBuilder(PUB, "-h", "127.0.0.1", "-p", String.valueOf(peers.port), "-V", "5", "-i", "c-will-polite",
      "-t", "c/other", "-m", "x", "--will-topic", "c/will", "--will-payload", "polite-will", "--will-qos", "1").start();
    assertTrue(polite.waitFor(10, TimeUnit.SECONDS) && polite.exitValue() == 0, "paho_c_pub disconnects normally");

    subscribe("c-will-victim", "c/victim", "--will-topic", "c/will", "--will-payload", "crashed-will", "--will-qos", "1")
      .process.destroyForcibly(); // SIGKILL: the connection ends without DISCONNECT
    assertEquals(List.of("1 0 crashed-will"), watcher.publishesUpTo("crashed-will"));
  }

  @Test
  void givenPahoCPubWithUserProperties_whenPahoCSubReceives_thenTheyArriveUntouched() throws Exception {
    Lines sub = subscribe("c-props-sub", "c/props", "--verbose");
    publish("-q", "1", "-t", "c/props", "-m", "with-props", "--user-property", "trace", "t-1");
    await().atMost(10, TimeUnit.SECONDS).until(() -> sub.lines.stream().anyMatch(l -> l.contains("with-props")));
    await().atMost(10, TimeUnit.SECONDS).until(() -> sub.lines.contains("Property name USER_PROPERTY key trace value t-1"));
  }

  private void publish(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PUB, "-h", "127.0.0.1", "-p", String.valueOf(peers.port), "-V", "5",
      "-i", "c-pub"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    started.add(p);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "paho_c_pub exits");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
  }

  private Lines subscribe(String clientId, String topic, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(SUB, "-h", "127.0.0.1", "-p", String.valueOf(peers.port), "-V", "5",
      "-q", "2", "-i", clientId, "-t", topic));
    command.addAll(List.of(args));
    Process p = peers.subscriber(new ProcessBuilder(command).redirectErrorStream(true), topic);
    started.add(p);
    Lines lines = new Lines(p);
    assertTrue(p.isAlive(), () -> String.join(" ", command) + " ended: " + lines.lines);
    return lines;
  }

  /** What a running client printed, read as it comes. */
  private static final class Lines {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Lines(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
          }
        } catch (IOException killed) {
          // destroyForcibly closed the stream: the output ends here
        }
      }, "paho-c-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** {@code "qos retained payload"} of each PUBLISH received, up to and including the one with {@code payload}. */
    List<String> publishesUpTo(String payload) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> publishes().stream().anyMatch(p -> p.endsWith(" " + payload)));
      return publishes();
    }

    private List<String> publishes() {
      List<String> received = new ArrayList<>();
      for (String line : lines) {
        Matcher m = RECEIVED.matcher(line);
        if (m.find()) {
          received.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
      }
      return received;
    }
  }
}
