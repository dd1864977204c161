package io.flowsdk.filter.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every mistake in a rule is refused before a message arrives, naming its JSON path and the reason. */
class FilterRulesValidationTest {

  private static final String OK = "{\"name\":\"r0\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"drop\"}]}";

  private static String refusal(String rulesJson) {
    FlowException e = assertThrows(FlowException.class, () -> FilterEngine.create("f", new JsonArray(rulesJson),
      FlowOrigin.UNKNOWN, new SimpleMeterRegistry(), System::nanoTime, Math::random));
    assertEquals(FlowError.INVALID, e.error());
    return e.getMessage();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "[1] | rules[0]: must be an object, not 1",
    "[{\"topic\":\"a\",\"actions\":[{\"type\":\"drop\"}]}] | rules[0].name: is required",
    "[{\"name\":\"\",\"topic\":\"a\",\"actions\":[{\"type\":\"drop\"}]}] | rules[0].name: must be a non-empty string, not ''",
    "[" + OK + "," + OK + "] | rules[1].name: 'r0' is the name of rules[0] too",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"drop\"}],\"then\":1}] | rules[0].then: unknown key; known keys are [name, topic, when, actions]",
    "[{\"name\":\"r\",\"actions\":[{\"type\":\"drop\"}]}] | rules[0].topic: is required",
    "[{\"name\":\"r\",\"topic\":\"a/#/b\",\"actions\":[{\"type\":\"drop\"}]}] | rules[0].topic: '#' must be the last level of topic filter 'a/#/b'",
    "[{\"name\":\"r\",\"topic\":\"$share/g/a\",\"actions\":[{\"type\":\"drop\"}]}] | rules[0].topic: must be a plain topic filter, not a shared subscription",
    "[{\"name\":\"r\",\"topic\":\"a\"}] | rules[0].actions: is required",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[]}] | rules[0].actions: must be a non-empty array, not []",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[\"drop\"]}] | rules[0].actions[0]: must be an object, not 'drop'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{}]}] | rules[0].actions[0].type: is required: one of [forward, drop, sample, rateLimit, dedupe, setHeaders, removeHeaders]",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"copy\"}]}] | rules[0].actions[0].type: must be one of [forward, drop, sample, rateLimit, dedupe, setHeaders, removeHeaders], not 'copy'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"drop\"},{\"type\":\"drop\"}]}] | rules[0].actions[1]: comes after 'drop' and would never run",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"drop\",\"why\":1}]}] | rules[0].actions[0].why: unknown key; known keys are [type]",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"forward\"}]}] | rules[0].actions[0].topic: is required",
    "[{\"name\":\"r\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"forward\",\"topic\":\"b/{2}\"}]}] | rules[0].actions[0].topic: '{2}' is not a level every topic matching 'a/+' has (levels 0..1)",
    "[{\"name\":\"r\",\"topic\":\"a/#\",\"actions\":[{\"type\":\"forward\",\"topic\":\"b/{1}\"}]}] | rules[0].actions[0].topic: '{1}' is not a level every topic matching 'a/#' has (levels 0..0)",
    "[{\"name\":\"r\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"forward\",\"topic\":\"b/{x}\"}]}] | rules[0].actions[0].topic: '{x}' must be a topic level number, such as {0}",
    "[{\"name\":\"r\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"forward\",\"topic\":\"b/{1\"}]}] | rules[0].actions[0].topic: '{' at index 2 is not closed",
    "[{\"name\":\"r\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"forward\",\"topic\":\"b/1}\"}]}] | rules[0].actions[0].topic: '}' at index 3 has no '{'",
    "[{\"name\":\"r\",\"topic\":\"a/+\",\"actions\":[{\"type\":\"forward\",\"topic\":\"b/+/{1}\"}]}] | rules[0].actions[0].topic: 'b/+/{1}' does not make a valid topic: topic name 'b/+/{1}' must not contain the wildcard '+'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"sample\"}]}] | rules[0].actions[0]: needs exactly one of 'oneIn' (keep 1 in N) or 'fraction' (keep this share, 0..1)",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"sample\",\"oneIn\":2,\"fraction\":0.5}]}] | rules[0].actions[0]: needs exactly one of 'oneIn' (keep 1 in N) or 'fraction' (keep this share, 0..1)",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"sample\",\"oneIn\":0}]}] | rules[0].actions[0].oneIn: must be a whole number of at least 1, not 0",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"sample\",\"fraction\":1.5}]}] | rules[0].actions[0].fraction: must be above 0 and at most 1, not 1.5",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"rateLimit\"}]}] | rules[0].actions[0].perSecond: is required",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":-1}]}] | rules[0].actions[0].perSecond: must be a number above 0, not -1",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":5,\"burst\":0}]}] | rules[0].actions[0].burst: must be a whole number of at least 1, not 0",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":5,\"key\":\"payload\"}]}] | rules[0].actions[0].key: must be 'rule', 'topic', 'field:<path>' or 'header:<name>', not 'payload'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":5,\"key\":\"field:a..b\"}]}] | rules[0].actions[0].key: 'a..b' has an empty level",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"rateLimit\",\"perSecond\":5,\"maxKeys\":0}]}] | rules[0].actions[0].maxKeys: must be a whole number of at least 1, not 0",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"dedupe\"}]}] | rules[0].actions[0].key: is required",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"dedupe\",\"key\":\"rule\"}]}] | rules[0].actions[0].key: must be 'topic', 'field:<path>' or 'header:<name>', not 'rule'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"dedupe\",\"key\":\"field:id\",\"windowMillis\":0}]}] | rules[0].actions[0].windowMillis: must be a whole number of at least 1, not 0",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"setHeaders\"}]}] | rules[0].actions[0].headers: is required",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"setHeaders\",\"headers\":{}}]}] | rules[0].actions[0].headers: must be a non-empty object, not {}",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"setHeaders\",\"headers\":{\"x\":1}}]}] | rules[0].actions[0].headers.x: must be a string, not 1",
    "[{\"name\":\"r\",\"topic\":\"a\",\"actions\":[{\"type\":\"removeHeaders\",\"names\":[\"x\",2]}]}] | rules[0].actions[0].names[1]: must be a string, not 2",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":3,\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when: must be an object, not 3",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when: must have exactly one of 'all', 'any', 'not', 'field' or 'header', not []",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"all\":[],\"any\":[]},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when: must have exactly one of 'all', 'any', 'not', 'field' or 'header', not [all, any]",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"all\":[]},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.all: must be a non-empty array, not []",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"any\":[{\"field\":\"t\",\"op\":\"gt\",\"value\":1},{\"field\":\"t\"}]},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.any[1].op: is required",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"not\":{\"field\":\"t\",\"op\":\"like\",\"value\":1}},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.not.op: must be one of [eq, ne, gt, ge, lt, le, exists, regex, in], not 'like'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"field\":\"t\",\"op\":\"gt\"},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.value: is required for 'gt'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"field\":\"t\",\"op\":\"gt\",\"value\":true},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.value: must be a number or a string for 'gt', not true",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"field\":\"t\",\"op\":\"exists\",\"value\":true},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.value: 'exists' takes no value (use 'not' for absence)",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"header\":\"h\",\"op\":\"in\",\"value\":\"x\"},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.value: must be a non-empty array for 'in', not 'x'",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"field\":\"t\",\"op\":\"regex\",\"value\":\"(a\"},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.value: is not a valid regular expression: Unclosed group near index 2",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"field\":\".t\",\"op\":\"exists\"},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.field: '.t' has an empty level",
    "[{\"name\":\"r\",\"topic\":\"a\",\"when\":{\"field\":\"t\",\"op\":\"eq\",\"value\":1,\"unit\":\"c\"},\"actions\":[{\"type\":\"drop\"}]}] | rules[0].when.unit: unknown key; known keys are [all, any, not, field, header, op, value]",
  })
  void givenAnInvalidRule_whenTheFilterIsCreated_thenItIsRefusedWithThePathAndTheReason(String rules, String expected) {
    assertEquals("invalid filter rule at " + expected, refusal(rules));
  }
}
