package io.flowsdk.storage;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/** Options of the embedded store ({@link FlowStore#open}): its file and its {@link SyncPolicy}. */
public class StoreOptions {

  public static final String DEFAULT_PATH = "data/flowsdk.mv";
  public static final SyncPolicy DEFAULT_SYNC_POLICY = SyncPolicy.GROUP_COMMIT;
  public static final int DEFAULT_GROUP_COMMIT_MILLIS = 5;

  private String path = DEFAULT_PATH;
  private SyncPolicy syncPolicy = DEFAULT_SYNC_POLICY;
  private int groupCommitMillis = DEFAULT_GROUP_COMMIT_MILLIS;

  public StoreOptions() {
  }

  public StoreOptions(StoreOptions other) {
    this(other.toJson());
  }

  public StoreOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "StoreOptions", "path", "syncPolicy", "groupCommitMillis");
    path = o.string("path", DEFAULT_PATH);
    syncPolicy = o.enumValue("syncPolicy", SyncPolicy.class, DEFAULT_SYNC_POLICY);
    setGroupCommitMillis(o.integer("groupCommitMillis", DEFAULT_GROUP_COMMIT_MILLIS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("syncPolicy", syncPolicy.name()).put("groupCommitMillis", groupCommitMillis);
  }

  /** The store's file (H2 MVStore format), created with its directory when missing. Default {@code data/flowsdk.mv}. */
  public String getPath() {
    return path;
  }

  public StoreOptions setPath(String path) {
    this.path = path;
    return this;
  }

  /** When writes are forced to disk. Default {@link SyncPolicy#GROUP_COMMIT}. */
  public SyncPolicy getSyncPolicy() {
    return syncPolicy;
  }

  public StoreOptions setSyncPolicy(SyncPolicy syncPolicy) {
    this.syncPolicy = syncPolicy;
    return this;
  }

  /** The group-commit interval: the longest a write waits for its fsync under {@code GROUP_COMMIT}. 1..10000, default 5. */
  public int getGroupCommitMillis() {
    return groupCommitMillis;
  }

  public StoreOptions setGroupCommitMillis(int groupCommitMillis) {
    this.groupCommitMillis = (int) checkRange("StoreOptions", "groupCommitMillis", groupCommitMillis, 1, 10_000);
    return this;
  }
}
