package io.flowsdk.storage.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.mqtt.broker.MqttBroker;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.queue.FlowQueue;
import io.flowsdk.queue.QueueOptions;
import io.flowsdk.table.FlowTable;
import io.flowsdk.testing.TestCluster;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A clustered queue, table or broker session store refuses a Hazelcast map that keeps no backup: losing a member would lose acknowledged data. */
class ClusterMapsBackupTest {

  private static Vertx node;

  @BeforeAll
  static void startNode() throws Exception {
    node = join(new TestCluster().startNode(config -> {
      for (String map : List.of("flowsdk.queue.unsafe", "flowsdk.table.unsafe", "flowsdk.mqtt.sessions")) {
        config.getMapConfig(map).setBackupCount(0);
      }
    }));
  }

  @AfterAll
  static void stopNode() throws Exception {
    join(node.close());
  }

  private static void assertRefused(FlowException e, String map) {
    assertEquals(FlowError.INVALID, e.error());
    assertTrue(e.getMessage().contains("Hazelcast map " + map + " has 0 synchronous backups"), e.getMessage());
  }

  @Test
  void givenQueueMapWithoutBackup_thenClusteredQueueIsRefused() {
    assertRefused(failure(FlowQueue.clustered(node, "unsafe", new QueueOptions())), "flowsdk.queue.unsafe");
  }

  @Test
  void givenTableMapWithoutBackup_thenClusteredTableIsRefused() {
    assertRefused(failure(FlowTable.clustered(node, "unsafe")), "flowsdk.table.unsafe");
  }

  @Test
  void givenSessionMapWithoutBackup_thenClusteredBrokerIsRefused() {
    assertRefused(failure(MqttBroker.create(node, new MqttBrokerOptions().setListeners(List.of(new MqttListenerOptions().setPort(0))))), "flowsdk.mqtt.sessions");
  }
}
