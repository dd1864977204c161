package io.flowsdk.bus;

import java.util.Objects;

/**
 * Where a flow message entered the bus: the node, the adapter (for example {@code mqtt-client},
 * {@code grpc}) and, when the adapter has one, the client or session inside it. Subscribers use it
 * for MQTT's No Local option and for tracing.
 */
public final class FlowOrigin {

  /** The origin of messages published directly through the Java API with no origin set. */
  public static final FlowOrigin UNKNOWN = new FlowOrigin("", "", "");

  private final String node;
  private final String adapter;
  private final String client;

  public FlowOrigin(String node, String adapter, String client) {
    this.node = Objects.requireNonNull(node, "node");
    this.adapter = Objects.requireNonNull(adapter, "adapter");
    this.client = Objects.requireNonNull(client, "client");
  }

  public String node() {
    return node;
  }

  public String adapter() {
    return adapter;
  }

  /** The client or session inside the adapter, or the empty string. */
  public String client() {
    return client;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FlowOrigin)) {
      return false;
    }
    FlowOrigin other = (FlowOrigin) o;
    return node.equals(other.node) && adapter.equals(other.adapter) && client.equals(other.client);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, adapter, client);
  }

  @Override
  public String toString() {
    return node + "/" + adapter + "/" + client;
  }
}
