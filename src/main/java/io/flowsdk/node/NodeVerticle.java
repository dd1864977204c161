package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.List;

/**
 * The root of a node: creates the flow bus, then deploys the configured verticles one after the
 * other. When one fails, the node fails with a message naming it and saying why.
 */
public class NodeVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(NodeVerticle.class);

  private final NodeOptions options;

  public NodeVerticle(NodeOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    List<PlannedVerticle> plan;
    try {
      plan = DeploymentPlan.of(options);
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    Future<FlowBus> bus = FlowBus.create(vertx, options.getBus());
    Future<?> chain = bus;
    for (PlannedVerticle planned : plan) {
      chain = chain.compose(v -> deploy(planned));
    }
    return chain.onSuccess(v -> logWhereToConnect(plan, bus.result().nodeId()));
  }

  /** One line per listener, then "node up": what a person starting the node needs to know. */
  private void logWhereToConnect(List<PlannedVerticle> plan, String nodeId) {
    for (PlannedVerticle planned : plan) {
      for (Listener listener : planned.listeners()) {
        log.info("listener '" + listener.name() + "': " + listener.protocol() + " on " + listener.address()
          + (listener.port() == 0 ? " (a free port chosen by the system)" : "") + (listener.tls() ? ", TLS" : ", plaintext"));
      }
    }
    log.info("node up: node " + nodeId + ", " + ClusterStatus.of(vertx).describe());
  }

  private Future<String> deploy(PlannedVerticle planned) {
    VerticleSpec spec = planned.spec();
    DeploymentOptions deployment = new DeploymentOptions().setConfig(planned.config()).setInstances(spec.getInstances());
    return vertx.deployVerticle(spec.getVerticle(), deployment)
      .onSuccess(id -> log.debug("deployed " + spec.getName() + " (" + spec.getVerticle() + ") x" + spec.getInstances()))
      .recover(failure -> Future.failedFuture(new FlowException(failure instanceof FlowException ? ((FlowException) failure).error()
        : FlowError.INVALID, spec.describe() + " failed to start: " + describe(failure, planned.listeners()))));
  }

  /** Why a verticle failed, in words; a bind failure of a verticle with one listener names its host:port. */
  private static String describe(Throwable failure, List<Listener> listeners) {
    if (failure instanceof ClassNotFoundException) {
      return "class not found: " + failure.getMessage();
    }
    String message = failure.getMessage();
    if (message == null) {
      return failure.getClass().getSimpleName();
    }
    Listener listener = listeners.size() == 1 ? listeners.get(0) : null;
    if (listener != null && message.contains("Address already in use")) {
      return "cannot listen on " + listener.address() + ": port already in use";
    }
    if (listener != null && message.contains("Cannot assign requested address")) {
      return "cannot listen on " + listener.address() + ": " + listener.host() + " is not an address of this machine ("
        + message + ")";
    }
    if (listener != null && message.contains("Permission denied")) {
      return "cannot listen on " + listener.address() + ": permission denied (ports below 1024 need privileges)";
    }
    return message;
  }
}
