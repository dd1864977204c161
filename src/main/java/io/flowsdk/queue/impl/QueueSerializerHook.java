package io.flowsdk.queue.impl;

import com.hazelcast.internal.serialization.DataSerializerHook;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The factory of the objects a clustered queue sends to the members: its ops, their results and its
 * index projection. Hazelcast finds it in {@code META-INF/services/com.hazelcast.DataSerializerHook}
 * when an instance starts, so every member that has FlowSDK on its class path reads them, whatever
 * its configuration (the configuration's own factories would depend on each node's cluster.xml).
 */
public final class QueueSerializerHook implements DataSerializerHook {

  /** "FlQu": distinct from Hazelcast's own factories, which are negative. */
  static final int FACTORY_ID = 0x466c5175;
  static final int OP = 1;
  static final int RESULT = 2;
  static final int HEADERS = 3;
  static final int HEADER = 4;

  @Override
  public int getFactoryId() {
    return FACTORY_ID;
  }

  @Override
  public DataSerializableFactory createFactory() {
    return QueueSerializerHook::create;
  }

  private static IdentifiedDataSerializable create(int classId) {
    switch (classId) {
      case OP:
        return new QueueOp();
      case RESULT:
        return new QueueOp.Result();
      case HEADERS:
        return new ClusteredQueue.Headers();
      case HEADER:
        return new ClusteredQueue.Header();
      default:
        return null;
    }
  }
}
