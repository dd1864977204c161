package io.flowsdk.node;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
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

  /** The configuration given with {@code -conf}: inline JSON when it starts with '{', else a file. */
  static JsonObject read(String fileOrJson) {
    if (fileOrJson.trim().startsWith("{")) {
      return parse(fileOrJson, "the -conf JSON");
    }
    Path file = Path.of(fileOrJson);
    requireFile(file, "configuration file");
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new FlowException(FlowError.INVALID, "configuration file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** The embedded default, used without {@code -conf}. */
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

  /** Fails with {@link FlowError#INVALID} unless {@code file} is a regular file; {@code what} names it in the message. */
  static void requireFile(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new FlowException(FlowError.INVALID, what + " " + file.toAbsolutePath() + " is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw new FlowException(FlowError.INVALID, what + " " + file.toAbsolutePath() + " does not exist");
    }
  }

  /** The JSON object in {@code text}; a syntax error is one line with its line and column, without Jackson's source note. */
  private static JsonObject parse(String text, String what) {
    if (text.isBlank()) {
      throw new FlowException(FlowError.INVALID, what + " is empty; it must hold a JSON object");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      if (e.getCause() instanceof JsonProcessingException && ((JsonProcessingException) e.getCause()).getLocation() != null) {
        JsonProcessingException syntax = (JsonProcessingException) e.getCause();
        JsonLocation at = syntax.getLocation();
        throw new FlowException(FlowError.INVALID, what + " is not valid JSON: line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ": " + withoutSourceNotes(syntax.getOriginalMessage()));
      }
      throw new FlowException(FlowError.INVALID, what + " must hold a JSON object { ... }, not "
        + (text.trim().startsWith("[") ? "an array" : text.trim().split("\\s", 2)[0]));
    }
  }

  /** Jackson names an earlier position as "[Source: REDACTED (...); line: 1, column: 1]"; keep only the position, on one line. */
  private static String withoutSourceNotes(String message) {
    return message.replaceAll("\\[Source: [^;]*; (line: \\d+, column: \\d+)]", "$1").replaceAll("\\s*\\R\\s*", " ");
  }
}
