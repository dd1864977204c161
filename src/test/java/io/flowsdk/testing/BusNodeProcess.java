package io.flowsdk.testing;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.FlowBusOptions;
import io.flowsdk.bus.SubscriptionOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A flow bus node in a process of its own, for tests that kill it with {@code kill -9}: joins the
 * cluster named by its first argument, subscribes to the filter of its second, takes ten
 * milliseconds to acknowledge each message, and prints {@code READY <nodeId>} once its route is
 * announced and {@code GOT <payload>} for every message its handler is given.
 */
public final class BusNodeProcess {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Futures.join(new TestCluster(args[0]).startNode());
    FlowBus bus = Futures.join(FlowBus.create(vertx, new FlowBusOptions().setAckTimeoutMillis(1000)));
    Futures.join(bus.subscribe(new SubscriptionOptions().setFilter(args[1]), m -> {
      say("GOT " + m.payload());
      Promise<Void> acked = Promise.promise();
      vertx.setTimer(10, t -> acked.complete());
      return acked.future();
    }));
    say("READY " + bus.nodeId());
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
