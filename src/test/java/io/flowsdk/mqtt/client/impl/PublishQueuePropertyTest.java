package io.flowsdk.mqtt.client.impl;

import io.flowsdk.mqtt.client.OfflineDropPolicy;
import io.flowsdk.mqtt.client.PublishRequest;
import io.vertx.core.Promise;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline buffer against a plain list model: bounded, FIFO, lowest priority dropped first by policy. */
class PublishQueuePropertyTest {

  /** Operations: a value 0..7 offers a message of that priority, -1 polls. */
  @Property(tries = 300)
  void givenAnySequenceOfOffersAndPolls_thenTheBufferBehavesLikeTheModel(
    @ForAll @Size(max = 120) List<@IntRange(min = -1, max = 7) Integer> ops,
    @ForAll @IntRange(min = 1, max = 8) int max,
    @ForAll boolean dropOldest) {
    OfflineDropPolicy policy = dropOldest ? OfflineDropPolicy.DROP_OLDEST : OfflineDropPolicy.DROP_NEWEST;
    PublishQueue queue = new PublishQueue(max, Long.MAX_VALUE, policy);
    List<PublishQueue.Entry> model = new ArrayList<>();
    int seq = 0;
    for (int op : ops) {
      if (op < 0) {
        PublishQueue.Entry polled = queue.poll();
        assertEquals(model.isEmpty() ? null : model.remove(0), polled, "FIFO order");
        continue;
      }
      PublishQueue.Entry e = new PublishQueue.Entry(PublishRequest.builder("t/" + seq++).priority(op).build(),
        Promise.promise(), 0);
      List<PublishQueue.Entry> dropped = queue.offer(e);
      List<PublishQueue.Entry> expected = new ArrayList<>();
      model.add(e);
      if (model.size() > max) {
        int lowest = model.stream().mapToInt(x -> x.request.priority()).min().orElseThrow();
        List<PublishQueue.Entry> candidates = model.stream().filter(x -> x.request.priority() == lowest).toList();
        // the new message is the last candidate; it goes when it is alone at the lowest priority
        PublishQueue.Entry victim = dropOldest ? candidates.get(0) : candidates.get(candidates.size() - 1);
        model.remove(victim);
        expected.add(victim);
      }
      assertEquals(expected, dropped);
      assertEquals(model.size(), queue.size());
      assertTrue(queue.size() <= max, "bounded");
    }
    assertEquals(model, queue.drain());
  }

  @Property(tries = 100)
  void givenAByteLimit_thenBufferedPayloadNeverExceedsIt(
    @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 50) Integer> sizes,
    @ForAll @IntRange(min = 1, max = 120) int maxBytes) {
    PublishQueue queue = new PublishQueue(1000, maxBytes, OfflineDropPolicy.DROP_OLDEST);
    for (int size : sizes) {
      queue.offer(new PublishQueue.Entry(PublishRequest.builder("t").payload("x".repeat(size)).build(), Promise.promise(), 0));
      assertTrue(queue.bytes() <= maxBytes);
    }
  }
}
