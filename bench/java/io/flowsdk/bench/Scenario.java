package io.flowsdk.bench;

import java.util.List;

/**
 * One benchmark scenario: measures FlowSDK and, in the same run on the same machine, a peer doing
 * the same work. Each result belongs to a group; the group's baseline row is the peer the ratio
 * is taken against. Scenarios start what they need on loopback and stop it before returning.
 */
public interface Scenario {

  /** Short name used to select scenarios: {@code -Dbench.only=flowbus,mqtt}. */
  String name();

  List<BenchResult> run(BenchConfig config) throws Exception;
}
