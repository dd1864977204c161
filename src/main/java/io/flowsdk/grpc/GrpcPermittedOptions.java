package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One permitted topic or address of a {@link GrpcTokenOptions token}, in the style of Vert.x bridge
 * options: an exact {@code address} or an {@code addressRegex} matched against the whole topic,
 * topic filter (its {@code $share/group/} prefix removed) or served address. Exactly one is set.
 */
public class GrpcPermittedOptions {

  private String address;
  private String addressRegex;
  private Pattern pattern;

  public GrpcPermittedOptions() {
  }

  public GrpcPermittedOptions(GrpcPermittedOptions other) {
    this(other.toJson());
  }

  /** Reads the JSON form; fails with {@code INVALID} for unknown keys or an invalid regex. */
  public GrpcPermittedOptions(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "GrpcPermittedOptions", "address", "addressRegex");
    setAddress(o.string("address", null));
    setAddressRegex(o.string("addressRegex", null));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (address != null) {
      json.put("address", address);
    }
    if (addressRegex != null) {
      json.put("addressRegex", addressRegex);
    }
    return json;
  }

  /** The exact topic, filter or address permitted. Default none. */
  public String getAddress() {
    return address;
  }

  public GrpcPermittedOptions setAddress(String address) {
    this.address = address;
    return this;
  }

  /** A Java regular expression the whole topic, filter or address must match. Default none. */
  public String getAddressRegex() {
    return addressRegex;
  }

  public GrpcPermittedOptions setAddressRegex(String addressRegex) {
    try {
      this.pattern = addressRegex == null ? null : Pattern.compile(addressRegex);
    } catch (PatternSyntaxException e) {
      throw new FlowException(FlowError.INVALID, "option 'addressRegex' of GrpcPermittedOptions is not a valid regex: "
        + e.getDescription());
    }
    this.addressRegex = addressRegex;
    return this;
  }

  /** True when {@code target} is the permitted address or matches the regex. */
  public boolean permits(String target) {
    return (address != null && address.equals(target)) || (pattern != null && pattern.matcher(target).matches());
  }
}
