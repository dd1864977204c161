package io.flowsdk.config;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffOptionsTest {

  private static final BackoffOptions DEFAULTS = new BackoffOptions(1_000, 30_000, 0.2);

  @Test
  void givenAnEmptyObject_whenRead_thenEveryValueIsTheVerticlesDefault() {
    assertEquals(DEFAULTS.toJson(), new BackoffOptions(new JsonObject(), "TestOptions.retry", DEFAULTS).toJson());
  }

  @Test
  void givenSomeKeys_whenRead_thenTheyReplaceOnlyTheirDefaults() {
    BackoffOptions read = new BackoffOptions(new JsonObject().put("initialMillis", 200), "TestOptions.retry", DEFAULTS);
    assertEquals(new JsonObject().put("initialMillis", 200L).put("maxMillis", 30_000L).put("jitter", 0.2), read.toJson());
  }

  @Test
  void givenChangedOptions_whenWrittenAndReadBack_thenTheyAreEqual() {
    BackoffOptions o = new BackoffOptions(5, 50, 0.1);
    assertEquals(o.toJson(), new BackoffOptions(o).toJson());
    assertEquals(o.toJson(), new BackoffOptions(o.toJson(), "TestOptions.retry", DEFAULTS).toJson());
  }

  @Test
  void givenOptions_whenTheirBackoffIsBuilt_thenItDoublesFromInitialUpToMax() {
    BackoffOptions o = new BackoffOptions(100, 300, 0);
    assertEquals(100, o.backoff().delay(1));
    assertEquals(200, o.backoff().delay(2));
    assertEquals(300, o.backoff().delay(3));
  }

  @Test
  void givenAValueOutOfRangeInJson_whenRead_thenInvalidNamesTheNestedOption() {
    FlowException zero = assertThrows(FlowException.class,
      () -> new BackoffOptions(new JsonObject().put("initialMillis", 0), "TestOptions.retry", DEFAULTS));
    assertEquals(FlowError.INVALID, zero.error());
    assertEquals("option 'initialMillis' of TestOptions.retry must be 1..3600000, not 0", zero.getMessage());
    FlowException jitter = assertThrows(FlowException.class,
      () -> new BackoffOptions(new JsonObject().put("jitter", 1.5), "TestOptions.retry", DEFAULTS));
    assertEquals("option 'jitter' of TestOptions.retry must be 0..1, not 1.5", jitter.getMessage());
    FlowException unknown = assertThrows(FlowException.class,
      () -> new BackoffOptions(new JsonObject().put("initialDelayMillis", 5), "TestOptions.retry", DEFAULTS));
    assertEquals("unknown option [initialDelayMillis] in TestOptions.retry; known options are [initialMillis, maxMillis, jitter]",
      unknown.getMessage());
  }

  @Test
  void givenAValueOutOfRange_whenSet_thenInvalid() {
    assertEquals("option 'maxMillis' of BackoffOptions must be 1..3600000, not 3600001",
      assertThrows(FlowException.class, () -> DEFAULTS.setMaxMillis(3_600_001)).getMessage());
    assertEquals(FlowError.INVALID, assertThrows(FlowException.class, () -> new BackoffOptions(1, 2, -0.1)).error());
  }
}
