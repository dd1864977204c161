package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowRetainer;
import io.flowsdk.mqtt.broker.MqttBrokerOptions;
import io.flowsdk.mqtt.broker.impl.BrokerMeters.RetainedLimit;
import io.flowsdk.util.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broker's retained messages, one per topic, and the one place they are set: installed as the
 * node's {@link FlowRetainer}, it stores every retained message published on this node's flow bus,
 * from an MQTT client, a gRPC {@code Publish} or a bus handler alike. Kept cluster-wide in Hazelcast
 * when Vert.x is clustered, on this node otherwise (on disk with {@code retainedStorePath}); found by
 * filter through this node's {@link RetainedIndex}, so a subscription reads only what it matches.
 *
 * <p>Caps ({@code maxRetainedMessages}, {@code maxRetainedBytes}) refuse a new topic at the cap;
 * replacing or clearing a retained message always passes, and the broker's own {@code $SYS} topics
 * are never refused. The index is written on the broker's event loop only.
 */
final class RetainedStore implements FlowRetainer {

  private final Context context;
  private final RetainedMap map;
  private final RetainedIndex index;
  private final BrokerMeters meters;
  private final int maxMessages;
  private final long maxBytes;

  private RetainedStore(Context context, RetainedMap map, RetainedIndex index, BrokerMeters meters, MqttBrokerOptions options) {
    this.context = context;
    this.map = map;
    this.index = index;
    this.meters = meters;
    this.maxMessages = options.getMaxRetainedMessages();
    this.maxBytes = options.getMaxRetainedBytes();
    meters.retained(index);
  }

  /** Opens the store of {@code options}; call on the broker's event loop ({@code context}). */
  static Future<RetainedStore> open(Vertx vertx, Context context, MqttBrokerOptions options, BrokerMeters meters) {
    RetainedIndex index = new RetainedIndex();
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    Future<RetainedMap> map = clusterManager instanceof HazelcastClusterManager hz
      ? ClusterRetainedMap.open(context, hz.getHazelcastInstance(), options.getRetainedMap(), index)
      : LocalRetainedMap.open(vertx, options.getRetainedStorePath(), index);
    return map.map(m -> new RetainedStore(context, m, index, meters, options));
  }

  @Override
  public Future<Void> admit(FlowMessage message) {
    String topic = message.topic();
    if (message.payload().length() == 0 || SysTopics.isBrokers(topic) || index.sizeOf(topic) >= 0) {
      return Future.succeededFuture();
    }
    if (index.count() >= maxMessages) {
      return refuse(RetainedLimit.MESSAGES, "retained message on " + topic + " refused: the broker holds its maximum of "
        + maxMessages + " retained messages (maxRetainedMessages)");
    }
    long size = RetainedValue.size(message);
    if (index.bytes() + size > maxBytes) {
      return refuse(RetainedLimit.BYTES, "retained message on " + topic + " refused: its " + size + " bytes would pass the "
        + "broker's maximum of " + maxBytes + " bytes of retained messages (maxRetainedBytes), " + index.bytes() + " held");
    }
    return Future.succeededFuture();
  }

  private Future<Void> refuse(RetainedLimit limit, String why) {
    meters.retainedRefused(limit);
    return Future.failedFuture(new Refused(why));
  }

  /** A retained message a cap refused: {@code OVERLOADED} (MQTT 5: 0x97 Quota exceeded), not a subscriber's failure. */
  static final class Refused extends FlowException {
    Refused(String message) {
      super(FlowError.OVERLOADED, message);
    }
  }

  @Override
  public Future<Void> retain(FlowMessage message) {
    String topic = message.topic();
    if (message.payload().length() == 0) {
      return Contexts.call(context, () -> map.remove(topic).map(v -> {
        index.remove(topic);
        return null;
      }));
    }
    byte[] value = RetainedValue.encode(message);
    long size = RetainedValue.size(message);
    return Contexts.call(context, () -> map.put(topic, value).map(v -> {
      index.put(topic, size);
      return null;
    }));
  }

  /** Deletes the retained message of {@code topic}; completes with whether there was one. */
  Future<Boolean> remove(String topic) {
    return Contexts.call(context, () -> {
      boolean had = index.sizeOf(topic) >= 0;
      return map.remove(topic).map(v -> {
        index.remove(topic);
        return had;
      });
    });
  }

  /** The topics with a retained message that {@code filter} matches now. */
  List<String> topics(String filter) {
    return index.match(filter);
  }

  /** The retained messages of {@code topics}, in their order, but those gone meanwhile or expired at {@code nowMillis}. */
  Future<List<FlowMessage>> read(List<String> topics, long nowMillis) {
    return Contexts.call(context, () -> map.get(topics).map(values -> messages(topics, values, nowMillis)));
  }

  private static List<FlowMessage> messages(List<String> topics, Map<String, byte[]> values, long nowMillis) {
    List<FlowMessage> found = new ArrayList<>(values.size());
    for (String topic : topics) {
      byte[] value = values.get(topic);
      if (value != null) {
        FlowMessage m = RetainedValue.decode(topic, value);
        if (!m.isExpired(nowMillis)) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /** The retained messages whose topics match {@code filter}, not yet expired at {@code nowMillis}, all at once. */
  Future<List<FlowMessage>> matching(String filter, long nowMillis) {
    return read(topics(filter), nowMillis);
  }

  Future<Void> close() {
    return Contexts.call(context, map::close);
  }
}
