package io.flowsdk.table.impl;

import com.hazelcast.internal.serialization.DataSerializerHook;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The factory of the objects a clustered table sends to the members: its mutations, their results and
 * backup writes, and its scan predicate. Found by Hazelcast as {@code QueueSerializerHook} is, for the same reason.
 */
public final class TableSerializerHook implements DataSerializerHook {

  /** "FlTa": distinct from Hazelcast's own factories, which are negative. */
  static final int FACTORY_ID = 0x466c5461;
  static final int MUTATION = 1;
  static final int RESULT = 2;
  static final int PREFIX = 3;
  static final int BACKUP_WRITE = 4;

  @Override
  public int getFactoryId() {
    return FACTORY_ID;
  }

  @Override
  public DataSerializableFactory createFactory() {
    return TableSerializerHook::create;
  }

  private static IdentifiedDataSerializable create(int classId) {
    switch (classId) {
      case MUTATION:
        return new Mutation();
      case RESULT:
        return new Mutation.Result();
      case PREFIX:
        return new ClusteredTable.PrefixPredicate();
      case BACKUP_WRITE:
        return new BackupWrite();
      default:
        return null;
    }
  }
}
