package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowBus;
import io.flowsdk.bus.PublishResult;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * When a session's connection ends, hands the QoS 1/2 messages it holds from shared subscriptions
 * (see {@link OutboundFlow#takeShared}) to another member of each one's group, on this node or
 * another, so that one member acknowledges each (MQTT 5, 4.8.2 allows it as soon as the connection
 * is lost). What no other member takes goes back into the session, for the client's return; a session
 * that ended meanwhile (a clean one) loses it, as it would without the hand-on.
 */
final class SharedHandOn {

  private final FlowBus bus;
  private final BrokerMeters meters;

  SharedHandOn(FlowBus bus, BrokerMeters meters) {
    this.bus = bus;
    this.meters = meters;
  }

  void connectionEnded(Session session) {
    List<StoredDelivery> taken = session.outbound.takeShared();
    if (taken.isEmpty()) {
      return;
    }
    List<Future<PublishResult>> handing = new ArrayList<>(taken.size());
    for (StoredDelivery s : taken) {
      handing.add(bus.publishToGroup(s.delivery.message, s.delivery.sharedFilter, session.origin));
    }
    Future.join(handing).onComplete(done -> {
      List<StoredDelivery> kept = new ArrayList<>();
      for (int i = 0; i < taken.size(); i++) {
        Future<PublishResult> handed = handing.get(i);
        if (handed.succeeded() && !handed.result().noSubscribers()) {
          meters.sharedHandedOn();
          session.outbound.handedOn(taken.get(i).delivery);
        } else {
          kept.add(taken.get(i));
        }
      }
      if (!session.ended && !kept.isEmpty()) {
        session.outbound.giveBack(kept);
      }
    });
  }
}
