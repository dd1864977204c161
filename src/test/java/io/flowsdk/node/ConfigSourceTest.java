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
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSourceTest {

  @Test
  void givenNoConfArgument_thenTheEmbeddedDefaultIsUsed() throws Exception {
    assertEquals(new JsonObject(Files.readString(Path.of("conf/flow.json"))), ConfigSource.fromArguments(new String[] {"-cluster"}));
  }

  @Test
  void givenConfFile_thenItIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"portOffset\": 3}");
    assertEquals(3, ConfigSource.fromArguments(new String[] {"-conf", file.toString()}).getInteger("portOffset"));
    assertEquals(3, ConfigSource.fromArguments(new String[] {"--conf=" + file}).getInteger("portOffset"));
  }

  @Test
  void givenInlineJson_thenItIsParsed() {
    assertEquals(7, ConfigSource.fromArguments(new String[] {"-conf", "{\"portOffset\": 7}"}).getInteger("portOffset"));
  }

  @Test
  void givenMalformedFile_thenInvalidNamingFileAndPosition(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"verticles\": [ {bad");
    FlowException e = assertThrows(FlowException.class, () -> ConfigSource.fromArguments(new String[] {"-conf", file.toString()}));
    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("line: 1"), e.getMessage());
  }

  @Test
  void givenMissingFile_thenInvalidInsteadOfTheDefault() {
    FlowException e = assertThrows(FlowException.class, () -> ConfigSource.fromArguments(new String[] {"-conf", "no/such.json"}));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void givenConfWithoutValue_thenInvalid() {
    assertThrows(FlowException.class, () -> ConfigSource.fromArguments(new String[] {"-conf"}));
  }
}
