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
 * One change of one key, decided against its current value the same way in both backends: inside the
 * embedded store's update, or as a Hazelcast entry processor on the member owning the key (and again,
 * deterministically, on its backup: the time is the caller's). It travels, and so does its result,
 * in Hazelcast's compact identified form ({@link TableSerializerHook}).
 */
final class Mutation implements EntryProcessor<String, byte[], Mutation.Result>, IdentifiedDataSerializable {

  enum Kind { PUT, PUT_IF_ABSENT, COMPARE_AND_SET, DELETE }

  private static final Kind[] KINDS = Kind.values();

  private Kind kind;
  private byte[] payload;
  private long expectedVersion;
  private long ttlMillis;
  private long nowMillis;

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

  /** What the mutation did: whether it applied, the version found before it, and the value after it (null: deleted or unchanged). */
  static final class Result implements IdentifiedDataSerializable {
    boolean applied;
    long versionBefore;
    byte[] after;

    /** For Hazelcast's factory, which then reads the fields. */
    Result() {
    }

    Result(boolean applied, long versionBefore, byte[] after) {
      this.applied = applied;
      this.versionBefore = versionBefore;
      this.after = after;
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
      out.writeByteArray(after);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      applied = in.readBoolean();
      versionBefore = in.readLong();
      after = in.readByteArray();
    }
  }

  /** Decides against {@code currentBytes} (null when absent). */
  Result decide(byte[] currentBytes) {
    StoredValue current = StoredValue.decode(currentBytes, nowMillis);
    long before = current == null ? 0 : current.version;
    switch (kind) {
      case PUT_IF_ABSENT:
        if (current != null) {
          return new Result(false, before, null);
        }
        break;
      case COMPARE_AND_SET:
        if (before != expectedVersion) {
          return new Result(false, before, null);
        }
        break;
      case DELETE:
        return new Result(current != null, before, null);
      default:
        break;
    }
    long expiresAt = ttlMillis > 0 ? nowMillis + ttlMillis : 0;
    return new Result(true, before, new StoredValue(before + 1, expiresAt, payload).encode());
  }

  @Override
  public Result process(Map.Entry<String, byte[]> entry) {
    Result result = decide(entry.getValue());
    if (!result.applied) {
      return result;
    }
    if (result.after == null) {
      entry.setValue(null);
    } else if (ttlMillis > 0) {
      // Hazelcast keeps expiry times in whole seconds (a TTL under one second expires at once), so it
      // removes the entry up to a second late; reads check the millisecond expiry in the value.
      long seconds = (ttlMillis + 999) / 1000 + 1;
      ((ExtendedMapEntry<String, byte[]>) entry).setValue(result.after, seconds, TimeUnit.SECONDS);
    } else {
      entry.setValue(result.after);
    }
    return result;
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
