package io.flowsdk.mqtt.broker.impl;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.flowsdk.util.HazelcastFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The retained messages of a cluster in a Hazelcast map (with the backups {@code cluster.xml} gives
 * it), and this node's {@link RetainedIndex} of them kept in step by an entry listener: every node
 * hears of every change, wherever it was made. Opening reads the whole map once to fill the index.
 */
final class ClusterRetainedMap implements RetainedMap {

  private final Context context;
  private final IMap<String, byte[]> map;
  private final UUID listener;

  private ClusterRetainedMap(Context context, IMap<String, byte[]> map, UUID listener) {
    this.context = context;
    this.map = map;
    this.listener = listener;
  }

  /** Opens map {@code name}; {@code index} (written on {@code context}) learns what it holds and every change. */
  static Future<RetainedMap> open(Context context, HazelcastInstance hz, String name, RetainedIndex index) {
    IMap<String, byte[]> map = hz.getMap(name);
    return context.<Loaded>executeBlocking(() -> {
      UUID id = map.addEntryListener(new Changes(context, index), true); // before the read: no change is missed
      List<Map.Entry<String, Long>> sizes = new ArrayList<>();
      map.entrySet().forEach(e -> sizes.add(Map.entry(e.getKey(), RetainedValue.size(e.getKey(), e.getValue()))));
      return new Loaded(id, sizes);
    }).map(loaded -> {
      loaded.sizes.forEach(e -> index.putIfAbsent(e.getKey(), e.getValue()));
      return new ClusterRetainedMap(context, map, loaded.listener);
    });
  }

  private record Loaded(UUID listener, List<Map.Entry<String, Long>> sizes) {
  }

  @Override
  public Future<Void> put(String topic, byte[] value) {
    return HazelcastFutures.on(context, map.setAsync(topic, value));
  }

  @Override
  public Future<Void> remove(String topic) {
    return HazelcastFutures.on(context, map.removeAsync(topic)).mapEmpty();
  }

  @Override
  public Future<Map<String, byte[]>> get(List<String> topics) {
    return context.executeBlocking(() -> map.getAll(new HashSet<>(topics)));
  }

  @Override
  public Future<Void> close() {
    return context.executeBlocking(() -> {
      map.removeEntryListener(listener);
      return null;
    });
  }

  /** Hazelcast's events, on its threads: sized there, applied to the index on the broker's event loop. */
  private static final class Changes implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
    EntryRemovedListener<String, byte[]>, EntryEvictedListener<String, byte[]>, EntryExpiredListener<String, byte[]> {

    private final Context context;
    private final RetainedIndex index;

    Changes(Context context, RetainedIndex index) {
      this.context = context;
      this.index = index;
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
      stored(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
      stored(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
      gone(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> event) {
      gone(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> event) {
      gone(event);
    }

    private void stored(EntryEvent<String, byte[]> event) {
      String topic = event.getKey();
      long size = RetainedValue.size(topic, event.getValue());
      context.runOnContext(v -> index.put(topic, size));
    }

    private void gone(EntryEvent<String, byte[]> event) {
      String topic = event.getKey();
      context.runOnContext(v -> index.remove(topic));
    }
  }
}
