package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowSubscription;
import io.flowsdk.bus.QoS;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.flowsdk.testing.Futures.failure;
import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bus's own bookkeeping after failures and churn: nothing is left behind. */
class FlowBusStateTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenClusterRefusesTheRoute_whenSubscribing_thenFailsDisconnectedAndLeavesNoSubscription() throws Exception {
    FlowBusImpl bus = startBus(new RefusingRoutes());
    List<String> got = new CopyOnWriteArrayList<>();

    FlowException e = failure(bus.subscribe("refused/route", m -> got.add(m.topic())));

    assertEquals(FlowError.DISCONNECTED, e.error());
    assertEquals("subscribing to 'refused/route' failed: the cluster did not take its route (partition lost)", e.getMessage());
    assertEquals(Set.of(), join(bus.routes()));
    assertEquals(Set.of(), join(bus.routeOf("refused/route")));
    assertTrue(join(bus.publish(FlowMessage.builder("refused/route").payload("x").qos(QoS.AT_LEAST_ONCE).build())).noSubscribers());
    assertEquals(List.of(), got);
  }

  @Test
  void givenManySharedGroupsComeAndGo_thenNoTurnIsKeptForAClosedGroup() throws Exception {
    FlowBusImpl bus = (FlowBusImpl) join(FlowBus.create(vertx));
    for (int i = 0; i < 200; i++) {
      FlowSubscription member = join(bus.subscribe("$share/g" + i + "/jobs/" + i, m -> { }));
      assertEquals(1, join(bus.publish(FlowMessage.builder("jobs/" + i).payload("x").qos(QoS.AT_LEAST_ONCE).build())).subscribers());
      join(member.close());
    }

    assertEquals(0, bus.sharedTurnsHeld());
  }

  private FlowBusImpl startBus(ClusterRoutes routes) throws Exception {
    VertxInternal vx = (VertxInternal) vertx;
    ContextInternal busContext = vx.createEventLoopContext();
    FlowBusImpl bus = new FlowBusImpl(vx, busContext, new FlowBusOptions(), "node-1", new BusMeters(new SimpleMeterRegistry()));
    Promise<FlowBus> started = Promise.promise();
    busContext.runOnContext(v -> bus.start(() -> Future.succeededFuture(routes)).onComplete(started));
    join(started.future());
    return bus;
  }

  /** A cluster route table whose writes fail, as when Hazelcast lost the partition. */
  private static final class RefusingRoutes extends ClusterRoutes.NoOtherNodes {
    @Override
    public Future<Void> announce(String filter, boolean active) {
      return Future.failedFuture(new IllegalStateException("partition lost"));
    }

    @Override
    public Future<Void> withdraw(String filter) {
      return Future.failedFuture(new IllegalStateException("partition lost"));
    }
  }
}
