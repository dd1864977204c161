package io.flowsdk.bus.impl;

import io.vertx.core.Future;

/** The routes of the other nodes of the cluster, and this node's announcements into them. */
interface ClusterRoutes {

  /** Routes for a Vert.x instance that is not clustered: there are no other nodes. */
  ClusterRoutes NONE = new NoOtherNodes();

  /** No other nodes, nothing to announce to. */
  class NoOtherNodes implements ClusterRoutes {
    @Override
    public void plan(String topic, RoutePlan plan) {
    }

    @Override
    public Future<Void> announce(String filter, boolean active) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> withdraw(String filter) {
      return Future.succeededFuture();
    }

    @Override
    public boolean knows(String node) {
      return false;
    }

    @Override
    public boolean hasShared(String sharedFilter) {
      return false;
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** Adds the other nodes that should receive {@code topic} to the plan. Called on the bus context. */
  void plan(String topic, RoutePlan plan);

  /**
   * Tells the cluster this node subscribes to {@code filter} (shared filters with their prefix), or changes what it
   * said: {@code active} unless the filter is a shared group's whose members here are all on stand-by.
   */
  Future<Void> announce(String filter, boolean active);

  /** Tells the cluster this node no longer subscribes to {@code filter}. */
  Future<Void> withdraw(String filter);

  /** Whether {@code node} is a member with routes. */
  boolean knows(String node);

  /** Whether another node has a member of the shared group {@code sharedFilter}. */
  boolean hasShared(String sharedFilter);

  /** Number of routes of other nodes held. */
  int size();

  Future<Void> close();
}
