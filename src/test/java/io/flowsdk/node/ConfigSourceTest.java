package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigSourceTest {

  @Test
  void givenNoConfArgument_thenTheEmbeddedDefaultIsUsed() throws Exception {
    assertEquals(new JsonObject(Files.readString(Path.of("conf/flow.json"))), ConfigSource.embedded());
  }

  @Test
  void givenConfFile_thenItIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"portOffset\": 3}");
    assertEquals(3, ConfigSource.read(file.toString()).getInteger("portOffset"));
  }

  @Test
  void givenInlineJson_thenItIsParsed() {
    assertEquals(7, ConfigSource.read("{\"portOffset\": 7}").getInteger("portOffset"));
  }

  private static String invalid(String conf) {
    FlowException e = assertThrows(FlowException.class, () -> ConfigSource.read(conf));
    assertEquals(FlowError.INVALID, e.error());
    return e.getMessage();
  }

  @Test
  void givenMalformedFile_thenOneLineWithLineAndColumnWithoutJacksonNoise(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"verticles\": [ {bad");
    assertEquals(file + " is not valid JSON: line 1, column 18: Unexpected character ('b' (code 98)): "
      + "was expecting double-quote to start field name", invalid(file.toString()));
  }

  @Test
  void givenFileEndingInsideAnObject_thenTheStartMarkerIsALineAndColumnToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cut.json");
    Files.writeString(file, "{\n  \"portOffset\": 1,\n  \"metrics\": {\"enabled\": true\n");
    assertEquals(file + " is not valid JSON: line 4, column 1: Unexpected end-of-input: expected close marker for Object "
      + "(start marker at line: 3, column: 14)", invalid(file.toString()));
  }

  @Test
  void givenAnArrayOrAnEmptyFile_thenInvalidSayingAnObjectIsNeeded(@TempDir Path dir) throws Exception {
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[1, 2]");
    assertEquals(array + " must hold a JSON object { ... }, not an array", invalid(array.toString()));
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "\n");
    assertEquals(empty + " is empty; it must hold a JSON object", invalid(empty.toString()));
  }

  @Test
  void givenMissingFile_thenInvalidInsteadOfTheDefault() {
    assertEquals("configuration file " + Path.of("no/such.json").toAbsolutePath() + " does not exist", invalid("no/such.json"));
  }

  @Test
  void givenADirectory_thenInvalidSayingItIsADirectory(@TempDir Path dir) {
    assertEquals("configuration file " + dir.toAbsolutePath() + " is a directory, not a file", invalid(dir.toString()));
  }
}
