package io.flowsdk.table.impl;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The value a {@link Mutation} wrote on the member owning the key, written as it is on the backups: they do not
 * decide again, so a backup ends equal to the owner even where its own copy had drifted from it. Typed as a mutation's
 * backup must be (Hazelcast's {@code getBackupProcessor}); a backup's result goes nowhere.
 */
final class BackupWrite implements EntryProcessor<String, byte[], Mutation.Result>, IdentifiedDataSerializable {

  /** The stored value; null to remove the entry. */
  private byte[] value;
  /** Hazelcast's time to live, in whole seconds; 0 for none. */
  private long ttlSeconds;

  /** For Hazelcast's factory, which then reads the fields. */
  BackupWrite() {
  }

  BackupWrite(byte[] value, long ttlSeconds) {
    this.value = value;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Mutation.Result process(Map.Entry<String, byte[]> entry) {
    if (value != null && ttlSeconds > 0) {
      ((ExtendedMapEntry<String, byte[]>) entry).setValue(value, ttlSeconds, TimeUnit.SECONDS);
    } else {
      entry.setValue(value);
    }
    return null;
  }

  @Override
  public EntryProcessor<String, byte[], Mutation.Result> getBackupProcessor() {
    return null;
  }

  @Override
  public int getFactoryId() {
    return TableSerializerHook.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TableSerializerHook.BACKUP_WRITE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(value);
    out.writeLong(ttlSeconds);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    value = in.readByteArray();
    ttlSeconds = in.readLong();
  }
}
