package io.flowsdk.bench;

import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.filter.impl.FilterEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The filter's cost per message at 10 and at 1,000 rules (the goal: flat, the second within
 * 1.5× of the first): each rule has its own topic filter, a payload condition and a forward; each
 * message matches one rule. Measures the rule engine alone, without the bus around it.
 */
final class FilterScenario implements Scenario {

  @Override
  public String name() {
    return "filter";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) {
    return List.of(measure(10, true, config), measure(1_000, false, config));
  }

  private static BenchResult measure(int rules, boolean baseline, BenchConfig config) {
    FilterEngine engine = FilterEngine.create("bench", rules(rules), new FlowOrigin("bench", "filter", "bench"),
      new SimpleMeterRegistry(), System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
    FlowMessage[] messages = new FlowMessage[rules];
    for (int i = 0; i < rules; i++) {
      messages[i] = FlowMessage.builder("site/" + i + "/temp").payload("{\"celsius\":" + (i % 2 == 0 ? 35 : 25) + ",\"id\":\"dev-" + i + "\"}").build();
    }
    long forwarded = 0;
    for (int i = 0; i < config.warmup; i++) {
      forwarded += engine.apply(messages[i % rules], "site/" + (i % rules) + "/+").size();
    }
    Latencies latencies = new Latencies(config.messages);
    double cpu0 = CpuClock.thisProcess();
    long start = System.nanoTime();
    for (int i = 0; i < config.messages; i++) {
      long t = System.nanoTime();
      forwarded += engine.apply(messages[i % rules], "site/" + (i % rules) + "/+").size();
      latencies.record(System.nanoTime() - t);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (forwarded == 0) {
      throw new IllegalStateException("no rule forwarded: the scenario measures nothing");
    }
    return new BenchResult("filter, cost per message", rules + " rules", baseline, config.messages, seconds,
      latencies.percentileMicros(50), latencies.percentileMicros(99), CpuClock.thisProcess() - cpu0);
  }

  private static JsonArray rules(int n) {
    JsonArray rules = new JsonArray();
    for (int i = 0; i < n; i++) {
      rules.add(new JsonObject()
        .put("name", "r" + i)
        .put("topic", "site/" + i + "/+")
        .put("when", new JsonObject().put("field", "celsius").put("op", "gt").put("value", 30))
        .put("actions", new JsonArray()
          .add(new JsonObject().put("type", "setHeaders").put("headers", new JsonObject().put("alert", "hot")))
          .add(new JsonObject().put("type", "forward").put("topic", "alerts/{1}/{2}"))));
    }
    return rules;
  }
}
