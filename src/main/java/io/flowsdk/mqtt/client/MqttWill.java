package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.config.JsonOptions;
import io.flowsdk.topic.Topics;
import io.vertx.core.json.JsonObject;

import static io.flowsdk.config.JsonOptions.checkRange;

/**
 * The will message the broker publishes when the connection ends abnormally (or on DISCONNECT with
 * reason 0x04). The JSON form is the {@code will} object of {@link MqttClientOptions}.
 */
public class MqttWill {

  private String topic = "will";
  private String payload = "";
  private int qos;
  private boolean retain;
  private long delayIntervalSeconds;
  private long messageExpirySeconds = -1;
  private String contentType;
  private String responseTopic;
  private String correlationData;
  private boolean payloadUtf8;
  private JsonObject userProperties = new JsonObject();

  public MqttWill() {
  }

  public MqttWill(MqttWill other) {
    this(other.toJson());
  }

  /** Reads the JSON form; unknown keys and wrong types fail with {@code INVALID}. */
  public MqttWill(JsonObject json) {
    JsonOptions o = JsonOptions.read(json, "MqttWill", "topic", "payload", "qos", "retain", "delayIntervalSeconds",
      "messageExpirySeconds", "contentType", "responseTopic", "correlationData", "payloadUtf8", "userProperties");
    setTopic(o.string("topic", topic));
    setPayload(o.string("payload", payload));
    setQos(o.integer("qos", qos));
    setRetain(o.bool("retain", retain));
    setDelayIntervalSeconds(o.longValue("delayIntervalSeconds", delayIntervalSeconds));
    setMessageExpirySeconds(o.longValue("messageExpirySeconds", messageExpirySeconds));
    setContentType(o.string("contentType", null));
    setResponseTopic(o.string("responseTopic", null));
    setCorrelationData(o.string("correlationData", null));
    setPayloadUtf8(o.bool("payloadUtf8", payloadUtf8));
    JsonObject props = o.object("userProperties");
    setUserProperties(props == null ? new JsonObject() : props);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("topic", topic)
      .put("payload", payload)
      .put("qos", qos)
      .put("retain", retain)
      .put("delayIntervalSeconds", delayIntervalSeconds)
      .put("messageExpirySeconds", messageExpirySeconds)
      .put("contentType", contentType)
      .put("responseTopic", responseTopic)
      .put("correlationData", correlationData)
      .put("payloadUtf8", payloadUtf8)
      .put("userProperties", userProperties.copy());
  }

  /** The will topic, a valid topic name. Default {@code will}. */
  public String getTopic() {
    return topic;
  }

  public MqttWill setTopic(String topic) {
    Topics.validateName(topic);
    this.topic = topic;
    return this;
  }

  /** The will payload as UTF-8 text. Default empty. */
  public String getPayload() {
    return payload;
  }

  public MqttWill setPayload(String payload) {
    this.payload = payload == null ? "" : payload;
    return this;
  }

  /** The will QoS, 0-2. Default 0. */
  public int getQos() {
    return qos;
  }

  public MqttWill setQos(int qos) {
    this.qos = QoS.of(qos).value();
    return this;
  }

  /** Whether the will is retained. Default false. */
  public boolean isRetain() {
    return retain;
  }

  public MqttWill setRetain(boolean retain) {
    this.retain = retain;
    return this;
  }

  /** MQTT 5 Will Delay Interval in seconds: how long the broker waits before publishing. Default 0. */
  public long getDelayIntervalSeconds() {
    return delayIntervalSeconds;
  }

  public MqttWill setDelayIntervalSeconds(long delayIntervalSeconds) {
    this.delayIntervalSeconds = checkRange("MqttWill", "delayIntervalSeconds", delayIntervalSeconds, 0, 0xFFFF_FFFFL);
    return this;
  }

  /** MQTT 5 Message Expiry Interval of the will in seconds, or -1 for none. Default -1. */
  public long getMessageExpirySeconds() {
    return messageExpirySeconds;
  }

  public MqttWill setMessageExpirySeconds(long messageExpirySeconds) {
    this.messageExpirySeconds = checkRange("MqttWill", "messageExpirySeconds", messageExpirySeconds, -1, 0xFFFF_FFFFL);
    return this;
  }

  /** MQTT 5 Content Type of the will, or null. Default null. */
  public String getContentType() {
    return contentType;
  }

  public MqttWill setContentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  /** MQTT 5 Response Topic of the will, or null. Default null. */
  public String getResponseTopic() {
    return responseTopic;
  }

  public MqttWill setResponseTopic(String responseTopic) {
    if (responseTopic != null) {
      Topics.validateName(responseTopic);
    }
    this.responseTopic = responseTopic;
    return this;
  }

  /** MQTT 5 Correlation Data of the will as UTF-8 text, or null. Default null. */
  public String getCorrelationData() {
    return correlationData;
  }

  public MqttWill setCorrelationData(String correlationData) {
    this.correlationData = correlationData;
    return this;
  }

  /** MQTT 5 Payload Format Indicator: true declares the payload UTF-8. Default false. */
  public boolean isPayloadUtf8() {
    return payloadUtf8;
  }

  public MqttWill setPayloadUtf8(boolean payloadUtf8) {
    this.payloadUtf8 = payloadUtf8;
    return this;
  }

  /** MQTT 5 user properties of the will, names to string values. Default empty. */
  public JsonObject getUserProperties() {
    return userProperties;
  }

  public MqttWill setUserProperties(JsonObject userProperties) {
    userProperties.forEach(e -> {
      if (!(e.getValue() instanceof String)) {
        throw new FlowException(FlowError.INVALID, "user property '" + e.getKey() + "' of MqttWill must be a string");
      }
    });
    this.userProperties = userProperties.copy();
    return this;
  }

  /** The will's payload format as the flow bus names it. */
  public PayloadFormat payloadFormat() {
    return payloadUtf8 ? PayloadFormat.UTF8 : PayloadFormat.UNSPECIFIED;
  }
}
