package io.flowsdk.mqtt.broker;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.security.PasswordHash;
import io.vertx.core.json.JsonObject;

/**
 * A user of the broker: a username and the salted PBKDF2 hash of its password
 * ({@link PasswordHash}, {@code $pbkdf2-sha256$...}); the password itself is never configured.
 */
public class MqttUserOptions {

  private static final String OWNER = "MqttUserOptions";

  private String username;
  private String passwordHash;

  public MqttUserOptions() {
  }

  public MqttUserOptions(MqttUserOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; fails with {@code INVALID} for unknown keys, a missing username or a malformed hash. */
  public MqttUserOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "username", "passwordHash");
    setUsername(o.string("username", null));
    setPasswordHash(o.string("passwordHash", null));
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject().put("username", username).put("passwordHash", passwordHash);
  }

  /** Fails with {@code INVALID} unless both the username and a well-formed hash are set. */
  public void validate() {
    if (username == null || username.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "a user of " + OWNER + " needs a non-empty 'username'");
    }
    if (passwordHash == null) {
      throw new FlowException(FlowError.INVALID, "user '" + username + "' needs a 'passwordHash'"
        + " (java -cp flowsdk-vertx.jar io.flowsdk.security.PasswordHash)");
    }
    try {
      PasswordHash.parse(passwordHash);
    } catch (FlowException e) {
      throw new FlowException(FlowError.INVALID, "the passwordHash of user '" + username + "' is " + e.getMessage());
    }
  }

  /** The MQTT username. Required. */
  public String getUsername() {
    return username;
  }

  public MqttUserOptions setUsername(String username) {
    this.username = username;
    return this;
  }

  /** The password's hash, {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}. Required. */
  public String getPasswordHash() {
    return passwordHash;
  }

  public MqttUserOptions setPasswordHash(String passwordHash) {
    this.passwordHash = passwordHash;
    return this;
  }
}
