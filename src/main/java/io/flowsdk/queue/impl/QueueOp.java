package io.flowsdk.queue.impl;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.flowsdk.storage.StoreUpdate;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * One change of one queue item, decided against its stored record the same way in both backends:
 * inside the embedded store's {@code update}, or as a Hazelcast entry processor on the member owning
 * the item (and again, deterministically, on its backup: the time is the caller's; an op that changed
 * nothing, such as a claim that found the item busy, has no backup to wait for). It travels, and
 * so does its result, in Hazelcast's compact identified form ({@link QueueSerializerHook}).
 */
final class QueueOp implements EntryProcessor<String, byte[], QueueOp.Result>, IdentifiedDataSerializable {

  enum Kind {
    /** Deliver the item if it is visible, with {@code millis} of visibility timeout; {@code recorded}: in its history. */
    CLAIM,
    /** Remove the item in flight as delivery {@code attempt}. */
    ACK,
    /** Give back the item in flight as delivery {@code attempt}, visible {@code millis} from now; {@code recorded}: in its history. */
    NACK,
    /** Keep the item in flight as delivery {@code attempt} invisible until {@code millis} from now. */
    EXTEND,
    /** Remove the item if it is visible (ready: not in flight, not delayed), to make room under an overflow policy. */
    EVICT
  }

  enum Outcome {
    /** Claimed: the record is the delivered one. */
    DELIVERED,
    /** Not there any more (acknowledged, expired, dead). */
    GONE,
    /** Expired now, and removed. */
    EXPIRED,
    /** Not visible yet: the record says until when. */
    BUSY,
    /** Delivered {@code maxAttempts} times: the record is to move to the dead letters. */
    DEAD,
    /** Acknowledged or rescheduled; the record is the new one (none after an ack). */
    DONE,
    /** The attempt named is not the item's delivery in flight. */
    NOT_IN_FLIGHT
  }

  /** What the op did and the record it left (or found), without a payload except when delivered or dead. */
  static final class Result implements IdentifiedDataSerializable {
    private static final Outcome[] OUTCOMES = Outcome.values();

    Outcome outcome;
    byte[] record;

    /** For Hazelcast's factory, which then reads the fields. */
    Result() {
    }

    Result(Outcome outcome, byte[] record) {
      this.outcome = outcome;
      this.record = record;
    }

    ItemRecord item() {
      return ItemRecord.decode(record);
    }

    @Override
    public int getFactoryId() {
      return QueueSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return QueueSerializerHook.RESULT;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeByte(outcome.ordinal());
      out.writeByteArray(record);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      outcome = OUTCOMES[in.readByte()];
      record = in.readByteArray();
    }
  }

  private static final Kind[] KINDS = Kind.values();

  private Kind kind;
  private int attempt;
  private long now;
  private long millis;
  private int maxAttempts;
  private boolean recorded;
  /** Whether {@link #process} changed the entry, for {@link #getBackupProcessor}. */
  private boolean changed;

  /** For Hazelcast's factory, which then reads the fields. */
  QueueOp() {
  }

  private QueueOp(Kind kind, int attempt, long now, long millis, int maxAttempts, boolean recorded) {
    this.kind = kind;
    this.attempt = attempt;
    this.now = now;
    this.millis = millis;
    this.maxAttempts = maxAttempts;
    this.recorded = recorded;
  }

  /** {@code recorded}: the delivery goes into the item's history (not in a dead-letter queue, whose items keep theirs). */
  static QueueOp claim(long now, long visibilityTimeoutMillis, int maxAttempts, boolean recorded) {
    return new QueueOp(Kind.CLAIM, 0, now, visibilityTimeoutMillis, maxAttempts, recorded);
  }

  static QueueOp ack(int attempt, long now) {
    return new QueueOp(Kind.ACK, attempt, now, 0, 0, false);
  }

  static QueueOp nack(int attempt, long now, long afterMillis, boolean recorded) {
    return new QueueOp(Kind.NACK, attempt, now, afterMillis, 0, recorded);
  }

  static QueueOp extend(int attempt, long now, long moreMillis) {
    return new QueueOp(Kind.EXTEND, attempt, now, moreMillis, 0, false);
  }

  static QueueOp evict(long now) {
    return new QueueOp(Kind.EVICT, 0, now, 0, 0, false);
  }

  /** The decision: the result, and the new stored value ({@code null}: delete, {@code current}: keep). */
  private static final class Decision {
    final Result result;
    final byte[] value;

    Decision(Result result, byte[] value) {
      this.result = result;
      this.value = value;
    }
  }

  private Decision decide(byte[] current) {
    if (current == null) {
      return new Decision(new Result(Outcome.GONE, null), null);
    }
    ItemRecord r = ItemRecord.decode(current);
    if (kind == Kind.CLAIM) {
      if (r.expired(now)) {
        return new Decision(new Result(Outcome.EXPIRED, ItemRecord.header(current)), null);
      }
      if (r.visibleAt > now) {
        return new Decision(new Result(Outcome.BUSY, ItemRecord.header(current)), current);
      }
      if (r.attempts >= maxAttempts) {
        return new Decision(new Result(Outcome.DEAD, current), current);
      }
      byte[] delivered = r.delivered(now, now + millis, recorded).encode().getBytes();
      return new Decision(new Result(Outcome.DELIVERED, delivered), delivered);
    }
    if (kind == Kind.EVICT) {
      return r.visibleAt > now ? new Decision(new Result(Outcome.BUSY, ItemRecord.header(current)), current)
        : new Decision(new Result(Outcome.DONE, null), null);
    }
    if (!r.inFlight(attempt, now)) {
      return new Decision(new Result(Outcome.NOT_IN_FLIGHT, ItemRecord.header(current)), current);
    }
    if (kind == Kind.ACK) {
      return new Decision(new Result(Outcome.DONE, null), null);
    }
    ItemRecord changed = kind == Kind.NACK && recorded ? r.nacked(now, now + millis) : r.visibleAt(now + millis);
    byte[] rescheduled = changed.encode().getBytes();
    return new Decision(new Result(Outcome.DONE, ItemRecord.header(rescheduled)), rescheduled);
  }

  /** The op as an update of the embedded store. */
  StoreUpdate<Result> update(Optional<Buffer> current) {
    byte[] bytes = current.map(Buffer::getBytes).orElse(null);
    Decision d = decide(bytes);
    if (d.value == bytes) {
      return StoreUpdate.keep(d.result);
    }
    return d.value == null ? StoreUpdate.delete(d.result) : StoreUpdate.put(Buffer.buffer(d.value), d.result);
  }

  @Override
  public Result process(Map.Entry<String, byte[]> entry) {
    byte[] current = entry.getValue();
    Decision d = decide(current);
    changed = d.value != current;
    if (changed) {
      entry.setValue(d.value);
    }
    return d.result;
  }

  /**
   * Called by Hazelcast after {@link #process}: the op runs again on the backups where it changed the entry (it is
   * smaller than the record it leaves, which holds the payload), and not at all where it changed nothing.
   */
  @Override
  public EntryProcessor<String, byte[], Result> getBackupProcessor() {
    return changed ? this : null;
  }

  @Override
  public int getFactoryId() {
    return QueueSerializerHook.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return QueueSerializerHook.OP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeInt(attempt);
    out.writeLong(now);
    out.writeLong(millis);
    out.writeInt(maxAttempts);
    out.writeBoolean(recorded);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    kind = KINDS[in.readByte()];
    attempt = in.readInt();
    now = in.readLong();
    millis = in.readLong();
    maxAttempts = in.readInt();
    recorded = in.readBoolean();
  }
}
