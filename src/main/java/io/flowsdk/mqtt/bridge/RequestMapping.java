package io.flowsdk.mqtt.bridge;

import io.flowsdk.bus.QoS;
import io.flowsdk.config.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One MQTT 5 request/response mapping between a broker topic and a flow bus address.
 *
 * <p>In {@link MqttBridgeOptions#getOutboundRequests()} the bridge serves {@link #getBusAddress()} on
 * the bus: each {@code FlowBus.request} becomes a PUBLISH to the topic {@link #getBroker()} with a
 * Response Topic and Correlation Data, and the broker-side reply is the request's answer. In
 * {@link MqttBridgeOptions#getInboundRequests()} {@link #getBroker()} is a filter the bridge subscribes
 * to; each request arriving there is sent to {@link #getBusAddress()} with {@code FlowBus.request} and
 * the answer is published to the request's Response Topic with its Correlation Data.
 */
public class RequestMapping {

  /** The QoS of a mapping that does not set one. */
  public static final QoS DEFAULT_QOS = QoS.AT_LEAST_ONCE;

  private String broker;
  private String busAddress;
  private QoS qos = DEFAULT_QOS;

  public RequestMapping() {
  }

  /** A mapping between the broker topic (or filter) {@code broker} and the bus address {@code busAddress}. */
  public RequestMapping(String broker, String busAddress) {
    setBroker(broker);
    setBusAddress(busAddress);
  }

  public RequestMapping(RequestMapping other) {
    this(other.toJson());
  }

  /** Reads the JSON form ({@code broker}, {@code busAddress}, {@code qos}); unknown keys fail with {@code INVALID}. */
  public RequestMapping(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "RequestMapping", "broker", "busAddress", "qos");
    setBroker(o.string("broker", null));
    setBusAddress(o.string("busAddress", null));
    setQos(QoS.of(o.integer("qos", DEFAULT_QOS.value())));
  }

  public JsonObject toJson() {
    return new JsonObject().put("broker", broker).put("busAddress", busAddress).put("qos", qos.value());
  }

  /** Outbound: the topic requests are published to. Inbound: the filter requests arrive on. Required. */
  public String getBroker() {
    return broker;
  }

  public RequestMapping setBroker(String broker) {
    this.broker = Objects.requireNonNull(broker, "broker");
    return this;
  }

  /** The flow bus address served (outbound) or requested (inbound). Required. */
  public String getBusAddress() {
    return busAddress;
  }

  public RequestMapping setBusAddress(String busAddress) {
    this.busAddress = Objects.requireNonNull(busAddress, "busAddress");
    return this;
  }

  /** QoS of the request PUBLISH (outbound) or of the subscription requests arrive on (inbound); replies use the request's QoS. Default 1. */
  public QoS getQos() {
    return qos;
  }

  public RequestMapping setQos(QoS qos) {
    this.qos = Objects.requireNonNull(qos, "qos");
    return this;
  }

  @Override
  public String toString() {
    return "broker '" + broker + "' <-> bus address '" + busAddress + "'";
  }
}
