package io.flowsdk.mqtt.broker.impl;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Where the retained messages are kept, by topic, in their {@link RetainedValue} form: Hazelcast in a
 * cluster ({@link ClusterRetainedMap}), this node alone otherwise ({@link LocalRetainedMap}). Called on
 * the broker's event loop; futures complete there.
 */
interface RetainedMap {

  Future<Void> put(String topic, byte[] value);

  Future<Void> remove(String topic);

  /** The values of those of {@code topics} that have one. */
  Future<Map<String, byte[]>> get(List<String> topics);

  Future<Void> close();
}
