package io.flowsdk.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Mosquitto 2.x ({@code /usr/sbin/mosquitto}) for interop tests: a config file written into a
 * temporary directory, a free port on 127.0.0.1, its log collected from stdout, stopped by PID.
 *
 * <p>As a JUnit 5 extension ({@code @RegisterExtension static MosquittoBroker broker = ...}) it starts
 * before all tests of the class and stops after them. It can also be driven by hand: {@link #start()},
 * {@link #kill()} (SIGKILL, to simulate a crash), {@link #start()} again on the same port and with the
 * same persistence directory, {@link #stop()}.
 */
public final class MosquittoBroker implements BeforeAllCallback, AfterAllCallback {

  /** Where Debian installs the broker. */
  public static final String EXECUTABLE = "/usr/sbin/mosquitto";

  private final List<String> config = new ArrayList<>();
  private boolean anonymous = true;
  private boolean persistence;
  private boolean webSockets;
  private boolean quiet;
  private final List<String> webSocketConfig = new ArrayList<>();
  private int webSocketPort;
  private Path dir;
  private int port;
  private Process process;
  private final StringBuffer log = new StringBuffer();

  private MosquittoBroker() {
  }

  /** A broker with anonymous access, no persistence, logging everything to stdout. */
  public static MosquittoBroker create() {
    return new MosquittoBroker();
  }

  /** Adds a configuration line (written after the {@code listener} line, so listener options such as {@code certfile} work). */
  public MosquittoBroker config(String line) {
    config.add(line);
    return this;
  }

  /** Refuses clients without valid credentials (use with a {@code password_file} line). */
  public MosquittoBroker noAnonymous() {
    anonymous = false;
    return this;
  }

  /** Logs only errors, warnings and notices (not every packet): for load and benchmarks. */
  public MosquittoBroker quiet() {
    quiet = true;
    return this;
  }

  /** Keeps sessions and messages on disk in the temporary directory, saved on every change. */
  public MosquittoBroker persistence() {
    persistence = true;
    return this;
  }

  /** Adds a second listener speaking MQTT over WebSocket on {@link #webSocketPort()}. */
  public MosquittoBroker webSockets() {
    webSockets = true;
    return this;
  }

  /** Adds a configuration line to the WebSocket listener (for example {@code certfile} for wss). */
  public MosquittoBroker webSocketConfig(String line) {
    webSockets = true;
    webSocketConfig.add(line);
    return this;
  }

  /** The WebSocket listener's port (after {@link #start()} with {@link #webSockets()}). */
  public int webSocketPort() {
    return webSocketPort;
  }

  /** The temporary directory holding the config, persistence and any files a test puts there. */
  public Path dir() {
    ensureDir();
    return dir;
  }

  /** The MQTT port; reserved on first use, so a test can point a client at a broker it starts later. */
  public int port() {
    if (port == 0) {
      port = FreePorts.loopback();
    }
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** Everything the broker printed so far. */
  public String log() {
    return log.toString();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the broker (again, on the same port, after {@link #kill()} or {@link #stop()}) and waits until it accepts connections. */
  public MosquittoBroker start() {
    ensureDir();
    if (port == 0) {
      port = FreePorts.loopback();
    }
    try {
      Path conf = dir.resolve("mosquitto.conf");
      List<String> lines = new ArrayList<>();
      lines.add("user root");
      lines.add("log_dest stdout");
      if (quiet) {
        lines.add("log_type error");
        lines.add("log_type warning");
        lines.add("log_type notice");
      } else {
        lines.add("log_type all");
      }
      lines.add("persistence " + persistence);
      if (persistence) {
        lines.add("persistence_location " + dir + "/");
        lines.add("autosave_interval 1");
        lines.add("autosave_on_changes true");
      }
      lines.add("listener " + port + " 127.0.0.1");
      lines.add("allow_anonymous " + anonymous);
      lines.addAll(config);
      if (webSockets) {
        if (webSocketPort == 0) {
          webSocketPort = FreePorts.loopback();
        }
        lines.add("listener " + webSocketPort + " 127.0.0.1");
        lines.add("protocol websockets");
        lines.addAll(webSocketConfig);
      }
      Files.write(conf, lines, StandardCharsets.UTF_8);
      // stdout is a pipe: without line buffering the log arrives in 4 KiB blocks and log() lags behind the broker
      process = new ProcessBuilder("stdbuf", "-oL", EXECUTABLE, "-c", conf.toString()).redirectErrorStream(true).start();
      Process p = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            log.append(line).append('\n');
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, "mosquitto-log-" + port);
      reader.setDaemon(true);
      reader.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("mosquitto accepting on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
      .until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ":\n" + log);
        }
        return accepts();
      });
    return this;
  }

  /** Kills the broker with SIGKILL: no clean shutdown, no final save. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** Stops the broker with SIGTERM (it saves persistence and disconnects clients). */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    kill();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void ensureDir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("mosquitto-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Every configured listener accepts: Mosquitto opens its WebSocket listener after the TCP one. */
  private boolean accepts() {
    return accepts(port) && (!webSockets || accepts(webSocketPort));
  }

  private static boolean accepts(int listenerPort) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", listenerPort), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
