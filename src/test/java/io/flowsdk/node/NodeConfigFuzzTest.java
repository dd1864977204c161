package io.flowsdk.node;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Fuzz target: node configuration parsing. Any text given as {@code -conf '{…}'} becomes node options or fails with
 * {@link FlowError#INVALID} and a message, never another exception (no stack trace for a typo in a config file).
 */
class NodeConfigFuzzTest {

  @FuzzTest
  void givenAnyConfigText_whenParsedIntoNodeOptions_thenOptionsOrAnInvalidErrorWithAMessage(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    String json = text.trim().startsWith("{") ? text : "{" + text;
    try {
      JsonObject config = ConfigSource.read(json);
      new NodeOptions(config);
    } catch (FlowException e) {
      assertEquals(FlowError.INVALID, e.error(), e::getMessage);
      assertFalse(e.getMessage() == null || e.getMessage().isBlank());
    }
  }
}
