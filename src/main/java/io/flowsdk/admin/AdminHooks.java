package io.flowsdk.admin;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live objects of one Vert.x instance that admin resources report on, by type: a broker
 * registers its {@code MqttBrokerAdmin} when it starts and removes it when it stops. When several of
 * one type run, the first registered is the one reported on.
 */
public final class AdminHooks {

  private static final String MAP = "flowsdk.admin.hooks";

  private AdminHooks() {
  }

  /** Registers {@code hook} as a {@code type} of {@code vertx}; run the returned action to remove it. */
  public static <T> Runnable register(Vertx vertx, Class<T> type, T hook) {
    Holder holder = holder(vertx, type);
    holder.hooks.add(hook);
    return () -> holder.hooks.remove(hook);
  }

  /** The first registered {@code type} of {@code vertx}, if any. */
  public static <T> Optional<T> find(Vertx vertx, Class<T> type) {
    List<Object> hooks = holder(vertx, type).hooks;
    return hooks.isEmpty() ? Optional.empty() : Optional.of(type.cast(hooks.get(0)));
  }

  private static Holder holder(Vertx vertx, Class<?> type) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    return map.computeIfAbsent(type.getName(), name -> new Holder());
  }

  private static final class Holder implements Shareable {
    final List<Object> hooks = new CopyOnWriteArrayList<>();
  }
}
