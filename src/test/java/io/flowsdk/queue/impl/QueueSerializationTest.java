package io.flowsdk.queue.impl;

import io.flowsdk.queue.PastDelivery;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static io.flowsdk.testing.IdentifiedData.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What a clustered queue sends to the members travels in Hazelcast's identified form, not Java serialization. */
class QueueSerializationTest {

  @Test
  void givenAClaim_whenSentAndRun_thenItDecidesAsTheOriginalAndItsResultComesBack() {
    byte[] stored = new ItemRecord(7, 200, 0, 1_000, 0, Buffer.buffer("job")).encode().getBytes();
    QueueOp claim = roundTrip(QueueOp.claim(2_000, 30_000, 5, true));
    Map.Entry<String, byte[]> entry = new AbstractMap.SimpleEntry<>("id", stored);

    QueueOp.Result result = roundTrip(claim.process(entry));

    assertEquals(QueueOp.Outcome.DELIVERED, result.outcome);
    ItemRecord delivered = result.item();
    assertEquals(1, delivered.attempts);
    assertEquals(32_000, delivered.visibleAt);
    assertEquals("job", delivered.payload.toString());
    assertArrayEquals(entry.getValue(), result.record);
  }

  @Test
  void givenARecordedNack_whenSentAndRun_thenTheDeliveryEndsInTheHistoryAsNacked() {
    Map.Entry<String, byte[]> entry = new AbstractMap.SimpleEntry<>("id", new ItemRecord(7, 200, 0, 1_000, 0, Buffer.buffer("job")).encode().getBytes());
    QueueOp.claim(2_000, 30_000, 5, true).process(entry);

    QueueOp nack = roundTrip(QueueOp.nack(1, 2_500, 0, true));
    assertEquals(QueueOp.Outcome.DONE, nack.process(entry).outcome);

    ItemRecord nacked = ItemRecord.decode(entry.getValue());
    assertEquals(List.of(new PastDelivery(2_000, 2_500, PastDelivery.Ending.NACKED)), nacked.pastDeliveries());
    assertEquals("job", nacked.payload.toString());
  }

  @Test
  void givenAClaimOfAnItemInFlight_thenItChangesNothingAndHasNoBackupToRun() {
    Map.Entry<String, byte[]> entry = new AbstractMap.SimpleEntry<>("id", new ItemRecord(7, 200, 0, 1_000, 0, Buffer.buffer("job")).encode().getBytes());
    QueueOp first = QueueOp.claim(2_000, 30_000, 5, true);
    assertEquals(QueueOp.Outcome.DELIVERED, first.process(entry).outcome);
    assertSame(first, first.getBackupProcessor(), "the delivery runs again on the backups");
    byte[] inFlight = entry.getValue();

    QueueOp second = QueueOp.claim(2_100, 30_000, 5, true);
    assertEquals(QueueOp.Outcome.BUSY, second.process(entry).outcome);

    assertSame(inFlight, entry.getValue());
    assertNull(second.getBackupProcessor(), "nothing changed, so no backup waits");
  }

  @Test
  void givenTheHeaderProjection_whenSent_thenItStillProjectsHeaders() {
    ClusteredQueue.Headers headers = roundTrip(new ClusteredQueue.Headers());
    byte[] stored = new ItemRecord(7, 9, 2, 5, 0, Buffer.buffer("job")).encode().getBytes();

    ClusteredQueue.Header header = roundTrip(headers.transform(new AbstractMap.SimpleEntry<>("id", stored)));

    assertEquals("id", header.id);
    assertEquals(ItemRecord.HEADER, header.header.length);
  }
}
