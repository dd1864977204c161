package io.flowsdk.table.impl;

import io.flowsdk.testing.IdentifiedData;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;

import static io.flowsdk.testing.IdentifiedData.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a clustered table sends to the members travels in Hazelcast's identified form, not Java serialization. */
class TableSerializationTest {

  @Test
  void givenACompareAndSet_whenSent_thenItDecidesAsTheOriginalAndItsResultComesBack() {
    byte[] current = new StoredValue(3, 0, new byte[] {1}).encode();
    Mutation cas = roundTrip(new Mutation(Mutation.Kind.COMPARE_AND_SET, new byte[] {2}, 3, 0, 1_000));

    Mutation.Result result = roundTrip(cas.decide(current));

    assertTrue(result.applied);
    assertEquals(3, result.versionBefore);
    assertEquals(4, cas.valueAfter(result.versionBefore).version);
  }

  @Test
  void givenAPutOfAMegabyte_whenItsResultIsSent_thenThePayloadDoesNotTravelBack() {
    Mutation put = new Mutation(Mutation.Kind.PUT, new byte[1 << 20], 0, 0, 1_000);

    Mutation.Result result = put.decide(null);

    assertTrue(IdentifiedData.size(result) < 64, "the result is " + IdentifiedData.size(result) + " bytes");
    assertEquals(1 << 20, put.valueAfter(IdentifiedData.<Mutation.Result>roundTrip(result).versionBefore).payload.length, "the caller has the payload");
  }

  @Test
  void givenAPrefixPredicate_whenSent_thenItMatchesAsTheOriginal() {
    ClusteredTable.PrefixPredicate p = roundTrip(new ClusteredTable.PrefixPredicate("dev/", "dev/1"));

    assertTrue(p.apply(new AbstractMap.SimpleEntry<>("dev/2", new byte[0])));
    assertFalse(p.apply(new AbstractMap.SimpleEntry<>("dev/1", new byte[0])));
    assertFalse(p.apply(new AbstractMap.SimpleEntry<>("app/2", new byte[0])));
  }
}
