package io.flowsdk.admin;

/** Which nodes answer an admin route, and how their answers become one. */
public enum Fanout {
  /** The node asked answers alone (its view is the cluster's: a cluster-wide map, the route table). */
  LOCAL,
  /** Every node answers; the response lists each node's answer or error. */
  EACH_NODE,
  /** Every node answers with a list; the lists are merged (each item names its node), sorted and paged. */
  MERGED_LIST,
  /** Every node is asked; the first that has the thing answers, 404 when none has it. */
  FIND,
  /**
   * Every node answers about things it may share with the others (a clustered queue is seen from each
   * node): the answers about one thing (items with equal sort keys; unpaged, each node's answer) are
   * made one, with the fields of the first node that has it, the numbers of its {@value #PER_NODE}
   * object summed over the nodes, and each node's {@value #PER_NODE} object listed under
   * {@code nodes}. A paged list counts each thing once; unpaged, 404 when no node has the thing.
   */
  COMBINED;

  /** The field of a {@link #COMBINED} answer that holds the figures of the node answering alone. */
  public static final String PER_NODE = "perNode";
}
