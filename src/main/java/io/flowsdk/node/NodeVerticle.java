package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

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
    Future<?> chain = FlowBus.create(vertx, options.getBus())
      .onSuccess(bus -> log.info("flow bus up, node " + bus.nodeId() + (vertx.isClustered() ? " (clustered)" : "")));
    for (VerticleSpec spec : options.getVerticles()) {
      chain = chain.compose(v -> deploy(spec));
    }
    return chain;
  }

  private Future<String> deploy(VerticleSpec spec) {
    JsonObject config = spec.getConfig().copy();
    shiftPort(config);
    Object listeners = config.getValue("listeners"); // the MQTT broker's
    if (listeners instanceof JsonArray) {
      ((JsonArray) listeners).forEach(l -> {
        if (l instanceof JsonObject) {
          shiftPort((JsonObject) l);
        }
      });
    }
    DeploymentOptions deployment = new DeploymentOptions().setConfig(config).setInstances(spec.getInstances());
    return vertx.deployVerticle(spec.getVerticle(), deployment)
      .onSuccess(id -> log.info("deployed " + spec.getName() + " (" + spec.getVerticle() + ") x" + spec.getInstances()))
      .recover(failure -> Future.failedFuture(new FlowException(failure instanceof FlowException ? ((FlowException) failure).error()
        : FlowError.INVALID, "verticle '" + spec.getName() + "' (" + spec.getVerticle() + ") failed to start: " + describe(failure))));
  }

  private void shiftPort(JsonObject config) {
    Object port = config.getValue("port");
    if (port instanceof Integer && (Integer) port > 0) {
      config.put("port", (Integer) port + options.getPortOffset());
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ClassNotFoundException) {
      return "class not found: " + failure.getMessage();
    }
    String message = failure.getMessage();
    if (failure instanceof java.net.BindException || (message != null && message.contains("Address already in use"))) {
      return "port already in use (" + message + ")";
    }
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
