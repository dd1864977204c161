package io.flowsdk.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} headless, driven over the DevTools protocol (a WebSocket, no Selenium):
 * open a page, evaluate JavaScript in it, and collect what it reports as errors (uncaught exceptions,
 * {@code console.error}, failed loads). Its profile lives in a temporary directory; {@link #close}
 * stops the process by its PID and deletes the directory.
 */
public final class Chromium implements AutoCloseable {

  /** Where Debian installs the browser ({@code apt-get install chromium}; {@code ./test} does it). */
  public static final String EXECUTABLE = "/usr/bin/chromium";

  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private Chromium(Process process, Path profile, String pageSocket) {
    this.process = process;
    this.profile = profile;
    this.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).join();
  }

  /** Starts the browser on a blank page and opens {@code url} in it, errors collected from the start. */
  public static Chromium open(String url) throws Exception {
    if (!Files.isExecutable(Path.of(EXECUTABLE))) {
      throw new IllegalStateException(EXECUTABLE + " is missing: apt-get install chromium (./test installs it)");
    }
    Path profile = Files.createTempDirectory("flowsdk-chromium");
    Process process = new ProcessBuilder(EXECUTABLE, "--headless=new", "--no-sandbox", "--disable-gpu",
      "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
      "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
    Chromium browser = null;
    try {
      String browserSocket = devToolsAddress(process);
      URI list = URI.create(browserSocket.replaceFirst("^ws://([^/]+)/.*$", "http://$1/json/list"));
      JsonArray targets = new JsonArray(HTTP.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body());
      String page = targets.stream().map(t -> (JsonObject) t).filter(t -> "page".equals(t.getString("type"))).findFirst()
        .orElseThrow(() -> new IllegalStateException("chromium shows no page: " + targets)).getString("webSocketDebuggerUrl");
      browser = new Chromium(process, profile, page);
      browser.call("Runtime.enable", new JsonObject());
      browser.call("Log.enable", new JsonObject());
      browser.call("Page.enable", new JsonObject());
      browser.call("Page.navigate", new JsonObject().put("url", url));
      return browser;
    } catch (Exception | Error e) {
      if (browser != null) {
        browser.close();
      } else {
        process.destroyForcibly();
        deleteTree(profile);
      }
      throw e;
    }
  }

  /** Reads the browser's output until it names its DevTools socket; the rest of the output is drained. */
  private static String devToolsAddress(Process process) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> address = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          Matcher m = DEVTOOLS.matcher(line);
          if (m.find()) {
            address.complete(m.group(1));
          } else if (!address.isDone()) {
            seen.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      address.completeExceptionally(new IllegalStateException("chromium ended without a DevTools socket:\n" + seen));
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    return address.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Sends one DevTools command and waits for its result; fails when the browser answers with an error. */
  public JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    calls.put(id, answer);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).join();
    JsonObject response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (response.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + response.getJsonObject("error").encode());
    }
    return response.getJsonObject("result");
  }

  /** The value of {@code expression} in the page (a promise is awaited); fails with the page's exception. */
  public Object eval(String expression) throws Exception {
    JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
      .put("returnByValue", true).put("awaitPromise", true));
    if (result.containsKey("exceptionDetails")) {
      throw new IllegalStateException("'" + expression + "' threw: " + result.getJsonObject("exceptionDetails").encode());
    }
    return result.getJsonObject("result").getValue("value");
  }

  /** What the page reported as errors so far, each as one line. */
  public List<String> errors() {
    return new ArrayList<>(errors);
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    // its renderer, GPU and network processes write into the profile too, and may outlive the browser's own by a moment:
    // each must be gone before the profile is deleted (else a file appears in a directory being deleted)
    List<ProcessHandle> helpers = process.descendants().toList();
    stop(process.toHandle());
    for (ProcessHandle helper : helpers) {
      stop(helper);
    }
    deleteTree(profile);
  }

  private static void stop(ProcessHandle process) throws Exception {
    process.destroy();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      process.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void onMessage(JsonObject message) {
    if (message.containsKey("id")) {
      CompletableFuture<JsonObject> answer = calls.remove(message.getInteger("id"));
      if (answer != null) {
        answer.complete(message);
      }
      return;
    }
    JsonObject params = message.getJsonObject("params", new JsonObject());
    switch (message.getString("method", "")) {
      case "Runtime.exceptionThrown" -> errors.add("exception: " + params.getJsonObject("exceptionDetails").encode());
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(params.getString("type"))) {
          errors.add("console.error: " + params.getJsonArray("args").encode());
        }
      }
      case "Log.entryAdded" -> {
        JsonObject entry = params.getJsonObject("entry");
        if ("error".equals(entry.getString("level"))) {
          errors.add("log: " + entry.getString("text") + " " + entry.getString("url", ""));
        }
      }
      default -> {
        // other events are not looked at
      }
    }
  }

  /** Joins the frames of each text message, then hands it on. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        onMessage(new JsonObject(text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
