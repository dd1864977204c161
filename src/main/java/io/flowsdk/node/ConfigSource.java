package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a node's configuration comes from: the {@code -conf} argument (a file path, or inline JSON
 * when it starts with '{'), else the embedded {@code conf/flow.json}. A missing file or malformed
 * JSON is an error naming the file and the position, never a silent fall back to the default.
 */
final class ConfigSource {

  static final String EMBEDDED = "conf/flow.json";

  private ConfigSource() {
  }

  /** The configuration named by the launcher arguments. */
  static JsonObject fromArguments(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-conf") || arg.equals("--conf")) {
        if (i + 1 >= args.length) {
          throw new FlowException(FlowError.INVALID, arg + " needs a file or a JSON object");
        }
        return read(args[i + 1]);
      }
      if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        return read(arg.substring(arg.indexOf('=') + 1));
      }
    }
    return embedded();
  }

  static JsonObject read(String fileOrJson) {
    if (fileOrJson.trim().startsWith("{")) {
      return parse(fileOrJson, "the -conf JSON");
    }
    Path file = Path.of(fileOrJson);
    if (!Files.isRegularFile(file)) {
      throw new FlowException(FlowError.INVALID, "configuration file " + file.toAbsolutePath() + " does not exist");
    }
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new FlowException(FlowError.INVALID, "configuration file " + file + " cannot be read: " + e.getMessage());
    }
  }

  static JsonObject embedded() {
    try (InputStream in = ConfigSource.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new FlowException(FlowError.INTERNAL, "the embedded " + EMBEDDED + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the embedded " + EMBEDDED);
    } catch (IOException e) {
      throw new FlowException(FlowError.INTERNAL, "the embedded " + EMBEDDED + " cannot be read: " + e.getMessage());
    }
  }

  private static JsonObject parse(String text, String what) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new FlowException(FlowError.INVALID, what + " is not a valid JSON object: " + e.getMessage());
    }
  }
}
