package io.flowsdk.docs;

import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.SubscriptionOptions;
import io.flowsdk.node.NodeOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration lives in one place: each options class. Its descriptor in {@code verticles/} must
 * hold exactly its defaults, and every option key must be documented.
 */
class DescriptorsTest {

  private static List<Path> descriptors() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("verticles"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
  }

  private static JsonObject optionsJson(String optionsClass, JsonObject json) throws Exception {
    Class<?> type = Class.forName(optionsClass);
    Object options = json == null ? type.getConstructor().newInstance() : type.getConstructor(JsonObject.class).newInstance(json);
    return (JsonObject) type.getMethod("toJson").invoke(options);
  }

  /** Every key of {@code json}, nested objects (and objects inside arrays) included. */
  static List<String> keys(JsonObject json) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Object> e : json) {
      keys.add(e.getKey());
      if (e.getValue() instanceof JsonObject) {
        keys.addAll(keys((JsonObject) e.getValue()));
      } else if (e.getValue() instanceof JsonArray) {
        for (Object item : (JsonArray) e.getValue()) {
          if (item instanceof JsonObject) {
            keys.addAll(keys((JsonObject) item));
          }
        }
      }
    }
    return keys;
  }

  private static void assertDocumented(Path doc, List<String> keys, String what) throws IOException {
    String text = Files.readString(doc);
    for (String key : keys) {
      assertTrue(text.contains("`" + key + "`"), what + ": option `" + key + "` is missing from " + doc);
    }
  }

  @Test
  void givenEachDescriptor_thenItHoldsExactlyTheOptionDefaultsAndEveryKeyIsDocumented() throws Exception {
    List<Path> all = descriptors();
    assertFalse(all.isEmpty());
    for (Path descriptor : all) {
      JsonObject d = new JsonObject(Files.readString(descriptor));
      assertEquals(List.of("config", "doc", "options", "verticle"), d.fieldNames().stream().sorted().collect(Collectors.toList()),
        descriptor + " has the wrong shape");
      Class.forName(d.getString("verticle"));
      JsonObject config = d.getJsonObject("config");
      assertEquals(optionsJson(d.getString("options"), null), config, descriptor + " must hold every option at its default");
      assertEquals(config, optionsJson(d.getString("options"), config), descriptor + " must read back unchanged");
      assertDocumented(Path.of(d.getString("doc")), keys(config), descriptor.toString());
    }
  }

  @Test
  void givenNodeBusAndSubscriptionOptions_thenEveryKeyIsInTheConfigurationReference() throws Exception {
    Path reference = Path.of("docs/configuration.md");
    assertDocumented(reference, keys(new NodeOptions().toJson()), "NodeOptions");
    assertDocumented(reference, keys(new FlowBusOptions().toJson()), "FlowBusOptions");
    assertDocumented(reference, keys(new SubscriptionOptions().setFilter("a").toJson()), "SubscriptionOptions");
    assertDocumented(reference, List.of("name", "verticle", "instances", "config"), "verticle entries");
  }

  @Test
  void givenEmbeddedDefault_thenEveryVerticleItDeploysHasADescriptor() throws Exception {
    JsonObject flow = new JsonObject(Files.readString(Path.of("conf/flow.json")));
    List<String> described = new ArrayList<>();
    for (Path descriptor : descriptors()) {
      described.add(new JsonObject(Files.readString(descriptor)).getString("verticle"));
    }
    for (Object entry : flow.getJsonArray("verticles")) {
      String verticle = ((JsonObject) entry).getString("verticle");
      assertTrue(described.contains(verticle), "conf/flow.json deploys " + verticle + ", which has no descriptor in verticles/");
      Constructor<?> ignored = Class.forName(verticle).getConstructor();
    }
  }
}
