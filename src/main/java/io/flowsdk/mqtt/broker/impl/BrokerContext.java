package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.mqtt.auth.AccessControl;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

/**
 * What every connection of one broker shares: its options, sessions, subscriptions, publish path,
 * meters, authentication, access control and limits.
 */
final class BrokerContext {

  private static final Logger log = LoggerFactory.getLogger(BrokerContext.class);

  final MqttBrokerOptions options;
  final String nodeId;
  final Publisher publisher;
  final Subscriptions subscriptions;
  final BrokerMeters meters;
  final Authentication authentication;
  final AccessControl accessControl;
  final TopicLimits topicLimits;
  Sessions sessions;
  /** The node's queues and tables under {@code $queue/} and {@code $table/}. */
  MiddlewareTopics middleware;
  /** Connections counted against {@code maxConnections}: connected, or authenticating. */
  int admitted;

  BrokerContext(MqttBrokerOptions options, String nodeId, Publisher publisher, Subscriptions subscriptions,
                BrokerMeters meters, Authentication authentication) {
    this.options = options;
    this.authentication = authentication;
    this.accessControl = new AccessControl(options.getAcl());
    this.topicLimits = new TopicLimits(options);
    this.nodeId = nodeId;
    this.publisher = publisher;
    this.subscriptions = subscriptions;
    this.meters = meters;
  }

  /** Publishes a will; nobody is left to tell when the bus refuses it, so that is logged (and counted). */
  void publishWill(Will will) {
    publisher.publish(will.message)
      .onFailure(e -> log.warn("will of " + will.message.origin().client() + " on " + will.message.topic()
        + " not published: " + e.getMessage()));
  }
}
