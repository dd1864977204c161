package io.flowsdk.table.impl;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * One change of one key, decided against its current value the same way in both backends: inside the
 * embedded store's update, or as a Hazelcast entry processor on the member owning the key, whose backups then
 * get the value it wrote ({@link BackupWrite}), or nothing when it did not apply. It travels, and so does its
 * result, in Hazelcast's compact identified form ({@link TableSerializerHook}). The result carries no value back:
 * the caller has the mutation, so {@link #valueAfter} gives it the entry without the payload crossing the network
 * twice.
 */
final class Mutation implements EntryProcessor<String, byte[], Mutation.Result>, IdentifiedDataSerializable {

  enum Kind { PUT, PUT_IF_ABSENT, COMPARE_AND_SET, DELETE }

  private static final Kind[] KINDS = Kind.values();

  private Kind kind;
  private byte[] payload;
  private long expectedVersion;
  private long ttlMillis;
  private long nowMillis;
  /** What {@link #process} did, for {@link #getBackupProcessor}: null when it did not apply. */
  private BackupWrite written;

  /** For Hazelcast's factory, which then reads the fields. */
  Mutation() {
  }

  Mutation(Kind kind, byte[] payload, long expectedVersion, long ttlMillis, long nowMillis) {
    this.kind = kind;
    this.payload = payload;
    this.expectedVersion = expectedVersion;
    this.ttlMillis = ttlMillis;
    this.nowMillis = nowMillis;
  }

  Kind kind() {
    return kind;
  }

  long expectedVersion() {
    return expectedVersion;
  }

  /** What the mutation did: whether it applied, and the version found before it. */
  static final class Result implements IdentifiedDataSerializable {
    boolean applied;
    long versionBefore;

    /** For Hazelcast's factory, which then reads the fields. */
    Result() {
    }

    Result(boolean applied, long versionBefore) {
      this.applied = applied;
      this.versionBefore = versionBefore;
    }

    @Override
    public int getFactoryId() {
      return TableSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return TableSerializerHook.RESULT;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeBoolean(applied);
      out.writeLong(versionBefore);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      applied = in.readBoolean();
      versionBefore = in.readLong();
    }
  }

  /** Decides against {@code currentBytes} (null when absent). */
  Result decide(byte[] currentBytes) {
    StoredValue current = StoredValue.decode(currentBytes, nowMillis);
    long before = current == null ? 0 : current.version;
    switch (kind) {
      case PUT_IF_ABSENT:
        return new Result(current == null, before);
      case COMPARE_AND_SET:
        return new Result(before == expectedVersion, before);
      case DELETE:
        return new Result(current != null, before);
      default:
        return new Result(true, before);
    }
  }

  /** The value this mutation leaves where it applied over {@code versionBefore}; null for a delete. */
  StoredValue valueAfter(long versionBefore) {
    return kind == Kind.DELETE ? null : new StoredValue(versionBefore + 1, ttlMillis > 0 ? nowMillis + ttlMillis : 0, payload);
  }

  @Override
  public Result process(Map.Entry<String, byte[]> entry) {
    Result result = decide(entry.getValue());
    written = null;
    if (result.applied) {
      StoredValue after = valueAfter(result.versionBefore);
      // Hazelcast keeps expiry times in whole seconds (a TTL under one second expires at once), so it
      // removes the entry up to a second late; reads check the millisecond expiry in the value.
      written = new BackupWrite(after == null ? null : after.encode(), ttlMillis > 0 ? (ttlMillis + 999) / 1000 + 1 : 0);
      written.process(entry);
    }
    return result;
  }

  /** Called by Hazelcast after {@link #process}: a refused mutation changed nothing, so there is nothing to back up. */
  @Override
  public EntryProcessor<String, byte[], Result> getBackupProcessor() {
    return written;
  }

  @Override
  public int getFactoryId() {
    return TableSerializerHook.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TableSerializerHook.MUTATION;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeByteArray(payload);
    out.writeLong(expectedVersion);
    out.writeLong(ttlMillis);
    out.writeLong(nowMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    kind = KINDS[in.readByte()];
    payload = in.readByteArray();
    expectedVersion = in.readLong();
    ttlMillis = in.readLong();
    nowMillis = in.readLong();
  }
}
