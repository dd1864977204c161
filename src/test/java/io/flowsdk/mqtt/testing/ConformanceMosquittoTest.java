package io.flowsdk.mqtt.testing;

import io.flowsdk.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance report against Mosquitto (Debian's 2.x): every case runs, and Mosquitto fails exactly the cases
 * docs/CONFORMANCE.md lists for it. A new Mosquitto or a changed case shows up here first; regenerate the document.
 */
class ConformanceMosquittoTest {

  /** Mosquitto's failures as docs/CONFORMANCE.md lists them. */
  static final Set<String> MOSQUITTO_FAILURES = Set.of("v311-pingreq-wrong-flags", "v5-topic-alias-zero",
    "v5-publish-subscription-identifier", "v5-shared-subscription-no-local", "v5-subscription-identifier-zero",
    "v5-pingreq-wrong-flags", "v5-remaining-length-not-minimal");

  @RegisterExtension
  static MosquittoBroker broker = MosquittoBroker.create().quiet();

  @Test
  void givenMosquitto_whenEveryCaseRuns_thenEachIsObservedAndMosquittoFailsExactlyTheDocumentedOnes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ConformanceTable table = join(ConformanceMain.run(vertx, Map.of("mosquitto", broker.host() + ":" + broker.port()),
        MalformedPackets.all(), Duration.ofMillis(1000)));
      String text = table.toText();
      List<String> lines = text.lines().collect(Collectors.toList());

      assertEquals(MalformedPackets.all().size() + 2, lines.size(), text);
      assertTrue(lines.stream().noneMatch(l -> l.contains("not run")), text);
      Set<String> failed = lines.stream().filter(l -> l.endsWith("FAIL")).map(l -> l.split(" ")[0]).collect(Collectors.toSet());
      assertEquals(MOSQUITTO_FAILURES, failed, text);
      assertTrue(lines.get(4).matches("v311-connect-reserved-flag +MQTT-3\\.1\\.2-3 +close +nothing, closed +PASS"), lines.get(4));
    } finally {
      join(vertx.close());
    }
  }
}
