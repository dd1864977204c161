package io.flowsdk.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A JVM the benchmark starts beside itself (a broker under test): started with a main class that
 * prints {@code READY ...} once it serves, then answers command lines on stdin. Its other output
 * goes to a log file; it exits when its stdin closes, i.e. at the latest when the benchmark does.
 */
final class JavaProcess implements AutoCloseable {

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Path log;
  /** The words after {@code READY}. */
  final List<String> ready;

  private JavaProcess(Process process, Path log) throws Exception {
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "bench-child-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    String line = replies.poll(90, TimeUnit.SECONDS);
    if (line == null || !line.startsWith("READY")) {
      process.destroyForcibly();
      throw new IllegalStateException("the process did not get ready; its output is in " + log);
    }
    ready = words(line);
  }

  /** Starts {@code mainClass} with {@code classpath} in a new JVM (the same Java as this one). */
  static JavaProcess start(List<String> jvmArgs, String classpath, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("bench-" + mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new JavaProcess(p, log);
  }

  /** The classpath this benchmark runs on (exec:java loads it into a class loader of its own). */
  static String benchClasspath() {
    ClassLoader loader = JavaProcess.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      return Stream.of(urls.getURLs()).map(JavaProcess::path).collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String path(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException("not a file on the classpath: " + url, e);
    }
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer out = Files.newBufferedWriter(log)) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("READY") || line.startsWith("MEM ") || line.startsWith("DROPS")) {
          replies.add(line);
        } else {
          out.write(line);
          out.write('\n');
          out.flush();
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Sends {@code command} and returns the words of its one-line reply (after the command's name). */
  List<String> ask(String command) throws Exception {
    stdin.write(command + "\n");
    stdin.flush();
    String line = replies.poll(60, TimeUnit.SECONDS);
    if (line == null) {
      throw new IllegalStateException("no reply to " + command + "; the process's output is in " + log);
    }
    return words(line);
  }

  /** The words of {@code line} after the first. */
  private static List<String> words(String line) {
    String[] words = line.split(" ");
    return List.of(words).subList(1, words.length);
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    stdin.close(); // the child exits on end of input
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
