package io.flowsdk.mqtt.broker;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.topic.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One rule of the broker's access control list: whom it is for (a {@link #getUser() user}, client
 * ids matching {@link #getClientIdRegex()}, or everyone), what it permits ({@link Access}) and on
 * which topic filters. In a filter {@code %u} stands for the username and {@code %c} for the client
 * id. Rules only permit: once the broker has one, whatever no rule permits is denied.
 */
public class MqttAclRuleOptions {

  /** What a rule permits. */
  public enum Access {
    /** PUBLISH to a topic matched by one of the rule's filters (and a will on one). */
    PUBLISH,
    /** SUBSCRIBE to a filter that one of the rule's filters covers (a {@code $share/group/} prefix aside). */
    SUBSCRIBE,
    /** Be sent a message whose topic one of the rule's filters matches. */
    RECEIVE
  }

  private static final String OWNER = "MqttAclRuleOptions";

  private String user;
  private String clientIdRegex;
  private Pattern clientIdPattern;
  private final Set<Access> access = EnumSet.allOf(Access.class);
  private final List<String> topics = new ArrayList<>();

  public MqttAclRuleOptions() {
  }

  public MqttAclRuleOptions(MqttAclRuleOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; fails with {@code INVALID} for unknown keys, an invalid regex, access or filter. */
  public MqttAclRuleOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, OWNER, "user", "clientIdRegex", "access", "topics");
    setUser(o.string("user", null));
    setClientIdRegex(o.string("clientIdRegex", null));
    JsonArray accessArray = o.array("access");
    if (accessArray != null) {
      List<Access> read = new ArrayList<>();
      for (Object a : accessArray) {
        try {
          read.add(Access.valueOf(String.valueOf(a)));
        } catch (IllegalArgumentException e) {
          throw new FlowException(FlowError.INVALID, "option 'access' of " + OWNER + " takes PUBLISH, SUBSCRIBE and RECEIVE, not " + a);
        }
      }
      setAccess(read);
    }
    JsonArray topicArray = o.array("topics");
    if (topicArray != null) {
      topicArray.forEach(t -> addTopic(String.valueOf(t)));
    }
    validate();
  }

  public JsonObject toJson() {
    JsonArray accessArray = new JsonArray();
    access.forEach(a -> accessArray.add(a.name()));
    return new JsonObject()
      .put("user", user)
      .put("clientIdRegex", clientIdRegex)
      .put("access", accessArray)
      .put("topics", new JsonArray(new ArrayList<>(topics)));
  }

  /** Fails with {@code INVALID} when the rule permits nothing: no access or no topic filter. */
  public void validate() {
    if (access.isEmpty() || topics.isEmpty()) {
      throw new FlowException(FlowError.INVALID, "an ACL rule needs at least one 'access' and one filter in 'topics'");
    }
  }

  /** True when the rule is for the client {@code clientId} authenticated as {@code username} (null: anonymous). */
  public boolean appliesTo(String username, String clientId) {
    return (user == null || user.equals(username)) && (clientIdPattern == null || clientIdPattern.matcher(clientId).matches());
  }

  /** The username the rule is for; default none: every user and anonymous clients. */
  public String getUser() {
    return user;
  }

  public MqttAclRuleOptions setUser(String user) {
    this.user = user;
    return this;
  }

  /** A Java regular expression the whole client id must match; default none: any client id. */
  public String getClientIdRegex() {
    return clientIdRegex;
  }

  public MqttAclRuleOptions setClientIdRegex(String clientIdRegex) {
    try {
      this.clientIdPattern = clientIdRegex == null ? null : Pattern.compile(clientIdRegex);
    } catch (PatternSyntaxException e) {
      throw new FlowException(FlowError.INVALID, "option 'clientIdRegex' of " + OWNER + " is not a valid regex: "
        + e.getDescription());
    }
    this.clientIdRegex = clientIdRegex;
    return this;
  }

  /** What the rule permits. Default all three: PUBLISH, SUBSCRIBE, RECEIVE. */
  public Set<Access> getAccess() {
    return access;
  }

  public MqttAclRuleOptions setAccess(List<Access> access) {
    this.access.clear();
    this.access.addAll(access);
    return this;
  }

  /** Topic filters the rule permits, with {@code %u} and {@code %c}. Required. */
  public List<String> getTopics() {
    return topics;
  }

  public MqttAclRuleOptions addTopic(String filter) {
    String problem = Topics.filterProblem(filter);
    if (problem != null) {
      throw new FlowException(FlowError.INVALID, "ACL topic: " + problem);
    }
    topics.add(filter);
    return this;
  }
}
