package io.flowsdk.bus;

/**
 * Where a publish went. For QoS 0 the message was handed to {@link #nodes()} nodes and
 * {@link #subscribers()} counts only the subscribers on the publishing node (remote nodes do not
 * answer at QoS 0). For QoS 1 and 2 every node acknowledged and {@link #subscribers()} counts all
 * subscribers that took the message.
 */
public final class PublishResult {

  private final int nodes;
  private final int subscribers;
  private final boolean acknowledged;

  public PublishResult(int nodes, int subscribers, boolean acknowledged) {
    this.nodes = nodes;
    this.subscribers = subscribers;
    this.acknowledged = acknowledged;
  }

  /** Nodes the message was routed to (the publishing node included when it had subscribers). */
  public int nodes() {
    return nodes;
  }

  public int subscribers() {
    return subscribers;
  }

  /** True for QoS 1/2, where every target node confirmed delivery. */
  public boolean acknowledged() {
    return acknowledged;
  }

  /**
   * True when no subscriber took the message (MQTT 5's "no matching subscribers"): at QoS 1/2 when
   * none acknowledged it (a route that was withdrawn while the message travelled counts a node but no
   * subscriber), at QoS 0 when it was routed to no node.
   */
  public boolean noSubscribers() {
    return acknowledged ? subscribers == 0 : nodes == 0;
  }

  @Override
  public String toString() {
    return "PublishResult[nodes=" + nodes + ", subscribers=" + subscribers + ", acknowledged=" + acknowledged + "]";
  }
}
