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
  FIND
}
