package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.ListenerOptions;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a node's verticle entries into what it deploys. Every listener (a verticle whose options
 * implement {@link ListenerOptions}) is read through its options class, so the port offset shifts
 * its effective port whether the entry sets {@code port} or relies on the default.
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
    for (VerticleSpec spec : options.getVerticles()) {
      PlannedVerticle planned = plan(spec, options.getPortOffset());
      for (PlannedVerticle earlier : plan) {
        refuseClash(earlier.listener(), planned.listener());
      }
      plan.add(planned);
    }
    return plan;
  }

  private static void refuseClash(Listener earlier, Listener later) {
    if (earlier == null || later == null || earlier.port() == 0 || earlier.port() != later.port()) {
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
    ListenerOptions listener = listenerOptions(spec, config);
    if (listener == null) {
      return new PlannedVerticle(spec, config, null);
    }
    int port = listener.getPort();
    if (port > 0) {
      port += portOffset;
      if (port > MAX_PORT) {
        throw new FlowException(FlowError.INVALID, spec.describe() + ": port " + listener.getPort() + " + portOffset "
          + portOffset + " = " + port + " is beyond " + MAX_PORT);
      }
      config.put("port", port);
    }
    return new PlannedVerticle(spec, config,
      new Listener(spec.getName(), listener.protocol(), listener.getHost(), port, listener.isTls()));
  }

  /** The listener options of {@code spec}'s verticle read from {@code config}, or {@code null} when it is no listener. */
  private static ListenerOptions listenerOptions(VerticleSpec spec, JsonObject config) {
    Class<?> type = optionsClass(spec.getVerticle());
    if (type == null || !ListenerOptions.class.isAssignableFrom(type)) {
      return null;
    }
    try {
      return (ListenerOptions) type.getConstructor(JsonObject.class).newInstance(config);
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
