package io.flowsdk.admin;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.util.BearerTokens;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * A bearer token of the admin API and its role, in the scheme of the gRPC gateway's tokens
 * ({@link BearerTokens}): only the token's SHA-256 in hex is configured ({@code printf %s TOKEN | sha256sum}).
 */
public class AdminTokenOptions {

  public static final AdminRole DEFAULT_ROLE = AdminRole.READ;
  private static final String OWNER = "AdminTokenOptions";

  private String name = "";
  private String sha256;
  private AdminRole role = DEFAULT_ROLE;

  public AdminTokenOptions() {
  }

  public AdminTokenOptions(AdminTokenOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; fails with {@code INVALID} for unknown keys, a malformed hash or an unknown role. */
  public AdminTokenOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "name", "sha256", "role");
    setName(o.string("name", ""));
    setSha256(o.string("sha256", null));
    String r = o.string("role", DEFAULT_ROLE.name());
    try {
      role = AdminRole.valueOf(r.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FlowException(FlowError.INVALID, "option 'role' of " + OWNER + " must be READ or ADMIN, not '" + r + "'");
    }
    if (sha256 == null) {
      throw new FlowException(FlowError.INVALID, "an admin token needs 'sha256', the SHA-256 of the token in hex");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("sha256", sha256).put("role", role.name());
  }

  /** A name for the token's holder, for logs. Default empty. */
  public String getName() {
    return name;
  }

  public AdminTokenOptions setName(String name) {
    this.name = name == null ? "" : name;
    return this;
  }

  /** SHA-256 of the token, 64 hex digits. Required. */
  public String getSha256() {
    return sha256;
  }

  public AdminTokenOptions setSha256(String sha256) {
    this.sha256 = BearerTokens.checkedHash(OWNER, sha256);
    return this;
  }

  /** {@code READ} (every GET) or {@code ADMIN} (also disconnect and delete). Default {@code READ}. */
  public AdminRole getRole() {
    return role;
  }

  public AdminTokenOptions setRole(AdminRole role) {
    this.role = role;
    return this;
  }
}
