package io.flowsdk.config;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonOptionsTest {

  private static String wrongType(Object value, java.util.function.Consumer<JsonOptions> read) {
    JsonOptions o = JsonOptions.read(new JsonObject().put("port", value), "TestOptions", "port");
    FlowException e = assertThrows(FlowException.class, () -> read.accept(o));
    assertEquals(FlowError.INVALID, e.error());
    return e.getMessage();
  }

  @Test
  void givenANumberWrittenAsAString_whenReadAsAWholeNumber_thenTheMessageSaysItWasTheString() {
    assertEquals("option 'port' of TestOptions must be a whole number, not the string \"8080\"",
      wrongType("8080", o -> o.integer("port", 0)));
  }

  @Test
  void givenOtherWrongTypes_whenRead_thenTheMessageShowsTheValueAsJson() {
    assertEquals("option 'port' of TestOptions must be a whole number, not 80.5", wrongType(80.5, o -> o.integer("port", 0)));
    assertEquals("option 'port' of TestOptions must be a string, not 8080", wrongType(8080, o -> o.string("port", null)));
    assertEquals("option 'port' of TestOptions must be true or false, not the string \"yes\"",
      wrongType("yes", o -> o.bool("port", false)));
    assertEquals("option 'port' of TestOptions must be an object, not [1,2]", wrongType(new JsonArray().add(1).add(2), o -> o.object("port")));
  }

  @Test
  void givenAKeyThatMoved_whenRejected_thenTheMessageNamesWhereItIsNow() {
    FlowException e = assertThrows(FlowException.class, () -> JsonOptions.rejectMoved(new JsonObject().put("retryMillis", 5),
      "TestOptions", Map.of("retryMillis", "retry.initialMillis")));
    assertEquals(FlowError.INVALID, e.error());
    assertEquals("option 'retryMillis' of TestOptions moved to 'retry.initialMillis'", e.getMessage());
    JsonOptions.rejectMoved(new JsonObject().put("retry", new JsonObject()), "TestOptions", Map.of("retryMillis", "retry.initialMillis"));
  }
}
