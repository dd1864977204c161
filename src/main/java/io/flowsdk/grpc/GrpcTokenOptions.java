package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.util.BearerTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A bearer token the gateway accepts and what it may do. The token itself is not stored: only its
 * SHA-256 hash in lower-case hex ({@code printf %s TOKEN | sha256sum}). What a caller holding the
 * token may send onto the bus (Publish, PublishStream, Request) is listed in
 * {@link #getInboundPermitted()}, what it may receive (Subscribe filters, Serve addresses) in
 * {@link #getOutboundPermitted()}; anything not listed is denied with {@code PERMISSION_DENIED}.
 */
public class GrpcTokenOptions {

  private String name = "";
  private String sha256;
  private final List<GrpcPermittedOptions> inboundPermitted = new ArrayList<>();
  private final List<GrpcPermittedOptions> outboundPermitted = new ArrayList<>();

  public GrpcTokenOptions() {
  }

  public GrpcTokenOptions(GrpcTokenOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; fails with {@code INVALID} for unknown keys or a malformed hash. */
  public GrpcTokenOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "GrpcTokenOptions", "name", "sha256", "inboundPermitted", "outboundPermitted");
    setName(o.string("name", ""));
    setSha256(o.string("sha256", null));
    readPermitted(o.array("inboundPermitted"), inboundPermitted);
    readPermitted(o.array("outboundPermitted"), outboundPermitted);
  }

  private static void readPermitted(JsonArray array, List<GrpcPermittedOptions> into) {
    if (array != null) {
      for (Object entry : array) {
        if (!(entry instanceof JsonObject)) {
          throw new FlowException(FlowError.INVALID, "permitted entries of GrpcTokenOptions must be objects, not " + entry);
        }
        into.add(new GrpcPermittedOptions((JsonObject) entry));
      }
    }
  }

  public JsonObject toJson() {
    JsonArray in = new JsonArray();
    inboundPermitted.forEach(p -> in.add(p.toJson()));
    JsonArray out = new JsonArray();
    outboundPermitted.forEach(p -> out.add(p.toJson()));
    return new JsonObject()
      .put("name", name)
      .put("sha256", sha256)
      .put("inboundPermitted", in)
      .put("outboundPermitted", out);
  }

  /** The SHA-256 of {@code token} in lower-case hex, the form {@link #setSha256} takes. */
  public static String hash(String token) {
    return BearerTokens.sha256(token);
  }

  /** A name for the token's holder, used in logs and metrics. Default empty. */
  public String getName() {
    return name;
  }

  public GrpcTokenOptions setName(String name) {
    this.name = name == null ? "" : name;
    return this;
  }

  /** SHA-256 of the token, 64 hex digits. Required. */
  public String getSha256() {
    return sha256;
  }

  public GrpcTokenOptions setSha256(String sha256) {
    this.sha256 = BearerTokens.checkedHash("GrpcTokenOptions", sha256);
    return this;
  }

  /** Topics and addresses the holder may publish to or send requests to. Default none. */
  public List<GrpcPermittedOptions> getInboundPermitted() {
    return inboundPermitted;
  }

  public GrpcTokenOptions addInboundPermitted(GrpcPermittedOptions permitted) {
    inboundPermitted.add(permitted);
    return this;
  }

  /** Topic filters the holder may subscribe to and addresses it may serve. Default none. */
  public List<GrpcPermittedOptions> getOutboundPermitted() {
    return outboundPermitted;
  }

  public GrpcTokenOptions addOutboundPermitted(GrpcPermittedOptions permitted) {
    outboundPermitted.add(permitted);
    return this;
  }
}
