package io.flowsdk.node;

import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * One entry of a node's {@code verticles} list: which verticle class to deploy, how many
 * instances, and its configuration (the JSON form of its options class).
 */
public class VerticleSpec {

  private String name;
  private String verticle;
  private int instances = 1;
  private JsonObject config = new JsonObject();

  public VerticleSpec() {
  }

  public VerticleSpec(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "verticle entry", "name", "verticle", "instances", "config");
    verticle = o.string("verticle", null);
    if (verticle == null || verticle.isEmpty()) {
      throw new io.flowsdk.FlowException(io.flowsdk.FlowError.INVALID, "a verticle entry needs 'verticle', the class to deploy: " + json.encode());
    }
    name = o.string("name", verticle.substring(verticle.lastIndexOf('.') + 1));
    instances = (int) checkRange("verticle entry '" + name + "'", "instances", o.integer("instances", 1), 1, 1024);
    JsonObject c = o.object("config");
    config = c == null ? new JsonObject() : c;
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("verticle", verticle).put("instances", instances).put("config", config);
  }

  /** {@code verticle 'NAME' (CLASS)}, how errors name this entry. */
  String describe() {
    return "verticle '" + name + "' (" + verticle + ")";
  }

  /** Name used in logs and errors; defaults to the simple class name. */
  public String getName() {
    return name;
  }

  public VerticleSpec setName(String name) {
    this.name = name;
    return this;
  }

  /** Fully qualified verticle class. Required. */
  public String getVerticle() {
    return verticle;
  }

  public VerticleSpec setVerticle(String verticle) {
    this.verticle = verticle;
    return this;
  }

  /** Instances to deploy (listeners share their port across instances). Default 1. */
  public int getInstances() {
    return instances;
  }

  public VerticleSpec setInstances(int instances) {
    this.instances = instances;
    return this;
  }

  /** The verticle's configuration, passed as {@code config()}. Default empty (all option defaults). */
  public JsonObject getConfig() {
    return config;
  }

  public VerticleSpec setConfig(JsonObject config) {
    this.config = config;
    return this;
  }
}
