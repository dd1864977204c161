package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.ListenerOptions;
import io.flowsdk.config.ListenerSetOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a node's verticle entries into what it deploys. Every listener (a verticle whose options
 * implement {@link ListenerOptions}, or {@link ListenerSetOptions} for several) is read through its
 * options class, so the port offset shifts its effective port whether the entry sets {@code port}
 * or relies on the default.
 */
final class DeploymentPlan {

  private static final String VERTICLE = "Verticle";
  private static final int MAX_PORT = 65535;

  private DeploymentPlan() {
  }

  /**
   * The verticles of {@code options} in deployment order; fails with {@link FlowError#INVALID} naming
   * the entry, or both entries when two listeners would bind one port (Vert.x would let them share it).
   */
  static List<PlannedVerticle> of(NodeOptions options) {
    List<PlannedVerticle> plan = new ArrayList<>();
    List<Listener> planned = new ArrayList<>();
    for (VerticleSpec spec : options.getVerticles()) {
      PlannedVerticle verticle = plan(spec, options.getPortOffset());
      for (Listener listener : verticle.listeners()) {
        for (Listener earlier : planned) {
          refuseClash(earlier, listener);
        }
        planned.add(listener);
      }
      plan.add(verticle);
    }
    return plan;
  }

  private static void refuseClash(Listener earlier, Listener later) {
    if (earlier.port() == 0 || earlier.port() != later.port()) {
      return;
    }
    if (earlier.host().equals(later.host()) || isWildcard(earlier.host()) || isWildcard(later.host())) {
      throw new FlowException(FlowError.INVALID, "verticles '" + earlier.name() + "' and '" + later.name()
        + "' both listen on port " + later.port() + " (" + earlier.address() + " and " + later.address()
        + "); give one of them another port");
    }
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  private static PlannedVerticle plan(VerticleSpec spec, int portOffset) {
    JsonObject config = spec.getConfig().copy();
    Object options = options(spec, config);
    if (options instanceof ListenerOptions) {
      ListenerOptions listener = (ListenerOptions) options;
      int port = shift(spec, listener.getPort(), portOffset);
      if (port > 0) {
        config.put("port", port);
      }
      return new PlannedVerticle(spec, config, List.of(listener(spec.getName(), listener, port)));
    }
    if (options instanceof ListenerSetOptions) {
      List<Listener> listeners = new ArrayList<>();
      JsonArray entries = new JsonArray();
      List<? extends ListenerOptions> set = ((ListenerSetOptions) options).getListeners();
      for (int i = 0; i < set.size(); i++) {
        ListenerOptions listener = set.get(i);
        int port = shift(spec, listener.getPort(), portOffset);
        JsonObject entry = i < declaredCount(config) ? config.getJsonArray("listeners").getJsonObject(i).copy() : new JsonObject();
        entries.add(entry.put("port", port));
        listeners.add(listener(spec.getName() + ".listeners[" + i + "]", listener, port));
      }
      config.put("listeners", entries);
      return new PlannedVerticle(spec, config, listeners);
    }
    return new PlannedVerticle(spec, config, List.of());
  }

  private static int declaredCount(JsonObject config) {
    return config.getValue("listeners") instanceof JsonArray ? config.getJsonArray("listeners").size() : 0;
  }

  private static Listener listener(String name, ListenerOptions options, int port) {
    return new Listener(name, options.protocol(), options.getHost(), port, options.isTls());
  }

  private static int shift(VerticleSpec spec, int port, int portOffset) {
    if (port == 0) {
      return 0;
    }
    int shifted = port + portOffset;
    if (shifted > MAX_PORT) {
      throw new FlowException(FlowError.INVALID, spec.describe() + ": port " + port + " + portOffset "
        + portOffset + " = " + shifted + " is beyond " + MAX_PORT);
    }
    return shifted;
  }

  /** The listener options of {@code spec}'s verticle read from {@code config}, or {@code null} when it is no listener. */
  private static Object options(VerticleSpec spec, JsonObject config) {
    Class<?> type = optionsClass(spec.getVerticle());
    if (type == null || !(ListenerOptions.class.isAssignableFrom(type) || ListenerSetOptions.class.isAssignableFrom(type))) {
      return null;
    }
    try {
      return type.getConstructor(JsonObject.class).newInstance(config);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new FlowException(cause instanceof FlowException ? ((FlowException) cause).error() : FlowError.INVALID,
        spec.describe() + " has an invalid configuration: " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new FlowException(FlowError.INTERNAL, type.getName() + " needs a public constructor taking a JsonObject: " + e);
    }
  }

  private static Class<?> optionsClass(String verticle) {
    if (!verticle.endsWith(VERTICLE)) {
      return null;
    }
    try {
      return Class.forName(verticle.substring(0, verticle.length() - VERTICLE.length()) + "Options", false,
        DeploymentPlan.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
