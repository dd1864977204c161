package io.flowsdk.mqtt.testing;

import io.netty.handler.codec.mqtt.MqttMessageType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MalformedPacketsTest {

  @Test
  void givenTheCatalogue_whenListed_thenItHasAtLeast40UniquelyNamedCasesEachCitingAStatement() {
    List<ViolationCase> all = MalformedPackets.all();

    assertTrue(all.size() >= 40, "only " + all.size() + " cases");
    Set<String> names = all.stream().map(ViolationCase::name).collect(Collectors.toSet());
    assertEquals(all.size(), names.size());
    for (ViolationCase c : all) {
      assertTrue(c.statement().matches("MQTT-\\d+\\.\\d+\\.\\d+-\\d+|\\d+(\\.\\d+)*"), c.name() + ": " + c.statement());
      assertTrue(c.name().startsWith(c.v5() ? "v5-" : "v311-"), c.name());
      assertFalse(c.packets().isEmpty(), c.name());
    }
  }

  @Test
  void givenANameOfNoCase_whenLookedUp_thenTheErrorNamesIt() {
    assertEquals("v5-publish-qos-3", MalformedPackets.named("v5-publish-qos-3").name());
    assertEquals("no violation case named v9-nothing",
      assertThrows(IllegalArgumentException.class, () -> MalformedPackets.named("v9-nothing")).getMessage());
  }

  @Test
  void givenACloseExpectation_whenObservationsDiffer_thenOnlyACloseWithAnAllowedRefusalMatches() {
    Expected closeMalformed = Expected.close(0x81);
    PacketSummary disconnect81 = new PacketSummary(MqttMessageType.DISCONNECT, 0x81);
    PacketSummary disconnect82 = new PacketSummary(MqttMessageType.DISCONNECT, 0x82);

    assertTrue(closeMalformed.matches(new Observation(List.of(), true, null)));
    assertTrue(closeMalformed.matches(new Observation(List.of(disconnect81), true, null)));
    assertFalse(closeMalformed.matches(new Observation(List.of(disconnect82), true, null)));
    assertFalse(closeMalformed.matches(new Observation(List.of(), false, null)));
    assertFalse(closeMalformed.matches(new Observation(List.of(new PacketSummary(MqttMessageType.PINGRESP, -1)), true, null)));
    assertFalse(closeMalformed.matches(Observation.setupFailed("refused")));
  }

  @Test
  void givenAReplyOrCloseExpectation_whenTheServerAnswersAndStaysOpen_thenOnlyTheRightCodeMatches() {
    Expected e = Expected.close().or(Expected.reply(MqttMessageType.SUBACK, 0x8F));

    assertTrue(e.matches(new Observation(List.of(new PacketSummary(MqttMessageType.SUBACK, 0x8F)), false, null)));
    assertFalse(e.matches(new Observation(List.of(new PacketSummary(MqttMessageType.SUBACK, 0x00)), false, null)));
    assertEquals("close or SUBACK 0x8F", e.toString());
  }
}
