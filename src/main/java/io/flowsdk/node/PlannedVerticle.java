package io.flowsdk.node;

import io.vertx.core.json.JsonObject;

/**
 * A verticle entry as the node deploys it: the configuration it gets (with the node's port offset
 * applied) and, when it is a listener, where it listens ({@code null} otherwise).
 */
record PlannedVerticle(VerticleSpec spec, JsonObject config, Listener listener) {
}
