package io.flowsdk.node;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A verticle entry as the node deploys it: the configuration it gets (with the node's port offset
 * applied) and where it listens (empty when it is no listener).
 */
record PlannedVerticle(VerticleSpec spec, JsonObject config, List<Listener> listeners) {
}
