package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.mqtt.broker.MqttBrokerAdmin;
import io.flowsdk.mqtt.broker.MqttSessionInfo;
import io.flowsdk.topic.Topics;
import io.flowsdk.util.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The admin hook of one broker: reads its sessions on the broker's event loop, where they live. */
final class BrokerAdmin implements MqttBrokerAdmin {

  private final Context brokerContext;
  private final Sessions sessions;
  private final RetainedStore retained;

  BrokerAdmin(Context brokerContext, Sessions sessions, RetainedStore retained) {
    this.brokerContext = brokerContext;
    this.sessions = sessions;
    this.retained = retained;
  }

  @Override
  public Future<List<MqttSessionInfo>> sessions() {
    return Contexts.call(brokerContext, () -> {
      List<MqttSessionInfo> infos = new ArrayList<>();
      for (Session s : sessions.all()) {
        infos.add(info(s));
      }
      infos.sort(Comparator.comparing(MqttSessionInfo::clientId));
      return Future.succeededFuture(infos);
    });
  }

  private static MqttSessionInfo info(Session s) {
    List<MqttSessionInfo.Subscription> subs = new ArrayList<>();
    s.subscriptions.values().forEach(sub -> subs.add(new MqttSessionInfo.Subscription(sub.filter, sub.qos, sub.noLocal,
      sub.retainAsPublished, sub.retainHandling)));
    Connection c = s.connection;
    return new MqttSessionInfo(s.clientId, c != null, c == null ? 0 : c.mqtt5() ? 5 : 4, c == null ? null : c.remoteAddress(),
      s.expirySeconds, s.outbound.inflightCount(), s.outbound.queuedCount(), subs);
  }

  @Override
  public Future<Boolean> disconnect(String clientId) {
    return Contexts.call(brokerContext, () -> {
      Session s = sessions.get(clientId);
      if (s == null || s.connection == null) {
        return Future.succeededFuture(false);
      }
      s.connection.disconnectByOperator();
      return Future.succeededFuture(true);
    });
  }

  @Override
  public Future<List<FlowMessage>> retained(String filter) {
    String problem = Topics.filterProblem(filter);
    return problem != null ? Future.failedFuture(new FlowException(FlowError.INVALID, problem))
      : retained.matching(filter, System.currentTimeMillis());
  }

  @Override
  public Future<Boolean> deleteRetained(String topic) {
    String problem = Topics.nameProblem(topic);
    return problem != null ? Future.failedFuture(new FlowException(FlowError.INVALID, problem)) : retained.remove(topic);
  }
}
