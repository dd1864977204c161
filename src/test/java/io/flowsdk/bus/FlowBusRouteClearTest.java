package io.flowsdk.bus;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.flowsdk.testing.TestCluster;
import io.flowsdk.util.ClusterNodes;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static io.flowsdk.testing.Futures.join;
import static org.awaitility.Awaitility.await;

/**
 * A route written again right after the route map is cleared survives the clear, whichever of the two events
 * reaches a node first: Hazelcast orders a map's events per key, not across keys.
 */
class FlowBusRouteClearTest {

  private static final int ROUNDS = 30;
  private static Vertx busNode;
  private static Vertx otherNode;
  private static FlowBus bus;
  private static HazelcastInstance other;

  @BeforeAll
  static void start() throws Exception {
    TestCluster cluster = new TestCluster();
    busNode = join(cluster.startNode());
    otherNode = join(cluster.startNode());
    bus = join(FlowBus.create(busNode));
    other = ClusterNodes.hazelcast(otherNode);
  }

  @AfterAll
  static void stop() throws Exception {
    join(busNode.close());
    join(otherNode.close());
  }

  @Test
  void givenARouteWrittenAgainRightAfterAClear_thenTheNodeKeepsIt() {
    // the other member writes its route entries itself, as its flow bus would, the moment after each clear
    String node = other.getCluster().getLocalMember().getUuid().toString();
    IMap<String, Boolean> routes = other.getMap(FlowBusOptions.DEFAULT_ROUTE_MAP);
    // an entry the bus's node owns: its added event is local there, so it most often overtakes the clear's
    String key = ownedByBusNode(node + '\u0000' + "cleared/again/");
    String topic = key.substring(node.length() + 1, key.length() - 1) + "x";
    routes.set(key, true);
    await().atMost(Duration.ofSeconds(10)).until(() -> join(bus.routeOf(topic)).equals(Set.of(node)));
    for (int round = 0; round < ROUNDS; round++) {
      routes.clear();
      routes.set(key, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> join(bus.routeOf(topic)).equals(Set.of(node)));
    }
    // a route seen again may only mean the last clear is still on its way: it must hold once that arrived too
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> join(bus.routeOf(topic)).equals(Set.of(node)));
  }

  /** {@code prefix + n + "/#"} for the first {@code n} whose partition the bus's node owns. */
  private static String ownedByBusNode(String prefix) {
    HazelcastInstance busHazelcast = ClusterNodes.hazelcast(busNode);
    for (int n = 0; ; n++) {
      String key = prefix + n + "/#";
      if (busHazelcast.getPartitionService().getPartition(key).getOwner().localMember()) {
        return key;
      }
    }
  }
}
