package io.flowsdk.mqtt.broker.impl;

import io.flowsdk.bus.FlowMessage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who publishes the cluster's {@code $SYS/broker/...} totals, and what they are. The broker nodes
 * are the members with figures under {@code $SYS/broker/nodes/<node>/} (this node always is one);
 * the oldest of them publishes, the sum over all of them. A node that left the cluster is no member,
 * so it is neither counted nor the publisher, whether or not its figures have expired yet; when the
 * publisher leaves, the next oldest broker node publishes in its next round.
 */
final class SysTotals {

  /** Where the nodes' own trees are: {@code $SYS/broker/nodes/<node>/<name>}. */
  static final String NODES = SysTopics.PREFIX + "/broker/nodes/";

  private SysTotals() {
  }

  /**
   * The cluster's totals when {@code localNode} is the one to publish them, else empty.
   *
   * @param own         this node's figures now (its retained ones may be a round old)
   * @param members     the cluster's members, oldest first
   * @param nodeFigures the retained messages under {@link #NODES}
   */
  static Optional<SysFigures> of(String localNode, SysFigures own, List<String> members, List<FlowMessage> nodeFigures) {
    Map<String, Map<String, String>> payloadsByNode = new HashMap<>();
    for (FlowMessage m : nodeFigures) {
      String rest = m.topic().substring(NODES.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        payloadsByNode.computeIfAbsent(rest.substring(0, slash), n -> new HashMap<>())
          .put(rest.substring(slash + 1), m.payload().toString());
      }
    }
    SysFigures total = own;
    boolean olderBrokerNode = false;
    for (String member : members) {
      if (member.equals(localNode)) {
        continue;
      }
      Map<String, String> payloads = payloadsByNode.get(member);
      if (payloads != null) {
        olderBrokerNode |= members.indexOf(member) < members.indexOf(localNode);
        total = total.plus(SysFigures.parse(payloads));
      }
    }
    return olderBrokerNode ? Optional.empty() : Optional.of(total);
  }
}
