package io.flowsdk.mqtt.bridge;

import io.flowsdk.bus.QoS;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One publish/subscribe mapping of the bridge: a broker filter and a bus filter whose literal
 * prefixes are swapped, so broker {@code site1/#} ⇄ bus {@code plant/site1/#} maps
 * {@code site1/line4/temp} to {@code plant/site1/line4/temp} and back. Both filters must end in the
 * same wildcard levels (here {@code #}); without wildcards the mapping is one topic to one topic.
 *
 * <p>In {@link MqttBridgeOptions#getInbound()} the bridge subscribes to {@link #getBroker()} at the
 * broker (a {@code $share/group/} prefix is allowed there) and publishes on the bus; in
 * {@link MqttBridgeOptions#getOutbound()} it subscribes to {@link #getBus()} on the flow bus (a
 * {@code $share/group/} prefix is allowed there) and publishes to the broker.
 */
public class TopicMapping {

  /** The QoS of a mapping that does not set one. */
  public static final QoS DEFAULT_QOS = QoS.AT_LEAST_ONCE;

  private String broker;
  private String bus;
  private QoS qos = DEFAULT_QOS;

  public TopicMapping() {
  }

  /** A mapping between {@code broker} and {@code bus} at the {@link #DEFAULT_QOS default QoS}. */
  public TopicMapping(String broker, String bus) {
    setBroker(broker);
    setBus(bus);
  }

  public TopicMapping(TopicMapping other) {
    this(other.toJson());
  }

  /** Reads the JSON form ({@code broker}, {@code bus}, {@code qos}); unknown keys fail with {@code INVALID}. */
  public TopicMapping(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "TopicMapping", "broker", "bus", "qos");
    setBroker(o.string("broker", null));
    setBus(o.string("bus", null));
    setQos(QoS.of(o.integer("qos", DEFAULT_QOS.value())));
  }

  public JsonObject toJson() {
    return new JsonObject().put("broker", broker).put("bus", bus).put("qos", qos.value());
  }

  /** The topic filter on the broker side. Required. */
  public String getBroker() {
    return broker;
  }

  public TopicMapping setBroker(String broker) {
    this.broker = Objects.requireNonNull(broker, "broker");
    return this;
  }

  /** The topic filter on the flow bus side. Required. */
  public String getBus() {
    return bus;
  }

  public TopicMapping setBus(String bus) {
    this.bus = Objects.requireNonNull(bus, "bus");
    return this;
  }

  /**
   * The highest QoS carried: the QoS of the subscription the bridge makes (at the broker for inbound,
   * on the bus for outbound). Each message keeps its own QoS up to this one. Default 1.
   */
  public QoS getQos() {
    return qos;
  }

  public TopicMapping setQos(QoS qos) {
    this.qos = Objects.requireNonNull(qos, "qos");
    return this;
  }

  @Override
  public String toString() {
    return "broker '" + broker + "' <-> bus '" + bus + "'";
  }
}
