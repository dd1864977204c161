package io.flowsdk.mqtt.broker.impl;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One change of a session record, run by Hazelcast on the member owning the client id (and again on
 * its backup), so that claims from several nodes at once are serialized. A claim always wins (the
 * newest CONNECT takes the session over) and returns the record it replaced; every other change
 * applies only while the record still names the caller's {@code epoch}, so a node that lost the
 * session can no longer change it. An adoption is a claim that applies only while the record still
 * names the node that left. A claim returns {@code {"generation": n, "previous": record or null}}.
 */
final class SessionUpdate implements EntryProcessor<String, String, String> {

  enum Kind { CLAIM, ADOPT, STORE, DETACH, REMOVE }

  /** What a change that is not a claim returns when it applied. */
  static final String APPLIED = "applied";

  private final Kind kind;
  /** ADOPT: the node that left; otherwise the caller's epoch. */
  private final String epoch;
  /** CLAIM and ADOPT: the new record (its generation is set here); SUBSCRIPTIONS and DETACH: the record to store. */
  private final String record;
  private final boolean keepSubscriptions;
  /** The caller's time: the backup decides the same generation as the owner. */
  private final long nowMillis;

  private SessionUpdate(Kind kind, String epoch, String record, boolean keepSubscriptions, long nowMillis) {
    this.kind = kind;
    this.epoch = epoch;
    this.record = record;
    this.keepSubscriptions = keepSubscriptions;
    this.nowMillis = nowMillis;
  }

  static SessionUpdate claim(SessionRecord claimed, boolean keepSubscriptions, long nowMillis) {
    return new SessionUpdate(Kind.CLAIM, claimed.epoch, claimed.encode(), keepSubscriptions, nowMillis);
  }

  static SessionUpdate adopt(SessionRecord adopter, String fromNode, long nowMillis) {
    return new SessionUpdate(Kind.ADOPT, fromNode, adopter.encode(), true, nowMillis);
  }

  static SessionUpdate ifOwner(Kind kind, SessionRecord record) {
    return new SessionUpdate(kind, record.epoch, record.encode(), false, 0);
  }

  static SessionUpdate remove(String epoch) {
    return new SessionUpdate(Kind.REMOVE, epoch, null, false, 0);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    SessionRecord current = entry.getValue() == null ? null : SessionRecord.decode(entry.getValue());
    if (kind == Kind.CLAIM) {
      SessionRecord claimed = SessionRecord.decode(record);
      List<SessionSubscription> subs = keepSubscriptions && current != null ? current.subscriptions : List.of();
      return claimed(entry, current, claimed.node, claimed.epoch, claimed.expirySeconds, subs);
    }
    if (kind == Kind.ADOPT) {
      if (current == null || !current.node.equals(epoch)) {
        return null;
      }
      if (current.expirySeconds == 0) {
        entry.setValue(null);
        return new JsonObject().put("generation", current.generation).put("previous", current.encode()).encode();
      }
      SessionRecord adopter = SessionRecord.decode(record);
      return claimed(entry, current, adopter.node, adopter.epoch, current.expirySeconds, current.subscriptions);
    }
    if (current == null || !current.epoch.equals(epoch)) {
      return null;
    }
    switch (kind) {
      case REMOVE:
        entry.setValue(null);
        break;
      case DETACH:
        // the record outlives a node that crashes while the client is away by the session's expiry
        SessionRecord detached = SessionRecord.decode(record);
        ((ExtendedMapEntry<String, String>) entry).setValue(record, Math.max(1, detached.expirySeconds), TimeUnit.SECONDS);
        break;
      default:
        entry.setValue(record);
        break;
    }
    return APPLIED;
  }

  private String claimed(Map.Entry<String, String> entry, SessionRecord current, String node, String newEpoch, long expirySeconds,
                         List<SessionSubscription> subs) {
    long generation = SessionRecord.nextGeneration(current, nowMillis);
    entry.setValue(new SessionRecord(node, newEpoch, generation, expirySeconds, subs).encode());
    return new JsonObject().put("generation", generation).put("previous", current == null ? null : current.encode()).encode();
  }
}
