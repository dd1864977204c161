package io.flowsdk.mqtt.client;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.topic.Topics;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A message to publish with every MQTT 5 PUBLISH property, built with {@link #builder(String)}.
 * Properties an MQTT 3.1.1 connection cannot carry are left out on the wire. {@link #priority()}
 * never travels: it decides what the offline buffer drops first.
 */
public final class PublishRequest {

  private final String topic;
  private final Buffer payload;
  private final QoS qos;
  private final boolean retain;
  private final long messageExpirySeconds;
  private final String contentType;
  private final String responseTopic;
  private final Buffer correlationData;
  private final PayloadFormat payloadFormat;
  private final List<FlowHeader> userProperties;
  private final int priority;

  private PublishRequest(Builder b) {
    this.topic = b.topic;
    this.payload = b.payload;
    this.qos = b.qos;
    this.retain = b.retain;
    this.messageExpirySeconds = b.messageExpirySeconds;
    this.contentType = b.contentType;
    this.responseTopic = b.responseTopic;
    this.correlationData = b.correlationData;
    this.payloadFormat = b.payloadFormat;
    this.userProperties = b.userProperties.isEmpty() ? Collections.emptyList()
      : Collections.unmodifiableList(new ArrayList<>(b.userProperties));
    this.priority = b.priority;
  }

  /** A builder for a message on {@code topic}, a valid topic name without wildcards. */
  public static Builder builder(String topic) {
    return new Builder(topic);
  }

  /** A QoS 0 message with a payload and nothing else. */
  public static PublishRequest of(String topic, Buffer payload) {
    return builder(topic).payload(payload).build();
  }

  /** A message with a payload at a QoS. */
  public static PublishRequest of(String topic, Buffer payload, QoS qos) {
    return builder(topic).payload(payload).qos(qos).build();
  }

  public String topic() {
    return topic;
  }

  public Buffer payload() {
    return payload;
  }

  public QoS qos() {
    return qos;
  }

  public boolean retain() {
    return retain;
  }

  /** Message expiry in seconds, or -1 for none. */
  public long messageExpirySeconds() {
    return messageExpirySeconds;
  }

  public String contentType() {
    return contentType;
  }

  public String responseTopic() {
    return responseTopic;
  }

  public Buffer correlationData() {
    return correlationData;
  }

  public PayloadFormat payloadFormat() {
    return payloadFormat;
  }

  public List<FlowHeader> userProperties() {
    return userProperties;
  }

  /** 0 (lowest) to 255; default {@link FlowMessage#DEFAULT_PRIORITY}. Decides offline-buffer drops only. */
  public int priority() {
    return priority;
  }

  @Override
  public String toString() {
    return "PublishRequest[topic=" + topic + ", qos=" + qos.value() + ", retain=" + retain + ", payload="
      + payload.length() + " bytes, priority=" + priority + "]";
  }

  /** Builds a {@link PublishRequest}; setters reject invalid values with {@link FlowError#INVALID}. */
  public static final class Builder {
    private String topic;
    private Buffer payload = Buffer.buffer();
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean retain;
    private long messageExpirySeconds = -1;
    private String contentType;
    private String responseTopic;
    private Buffer correlationData;
    private PayloadFormat payloadFormat = PayloadFormat.UNSPECIFIED;
    private final List<FlowHeader> userProperties = new ArrayList<>(0);
    private int priority = FlowMessage.DEFAULT_PRIORITY;

    private Builder(String topic) {
      topic(topic);
    }

    public Builder topic(String topic) {
      Topics.validateName(topic);
      this.topic = topic;
      return this;
    }

    public Builder payload(Buffer payload) {
      this.payload = Objects.requireNonNull(payload, "payload");
      return this;
    }

    public Builder payload(String utf8) {
      return payload(Buffer.buffer(utf8));
    }

    public Builder qos(QoS qos) {
      this.qos = Objects.requireNonNull(qos, "qos");
      return this;
    }

    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    /** Expiry in seconds, 0..4294967295; -1 removes it. */
    public Builder messageExpiry(long seconds) {
      if (seconds < -1 || seconds > 0xFFFF_FFFFL) {
        throw new FlowException(FlowError.INVALID, "message expiry must be 0..4294967295 seconds, not " + seconds);
      }
      this.messageExpirySeconds = seconds;
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    /** The topic a responder should answer on; a valid topic name, or null. */
    public Builder responseTopic(String responseTopic) {
      if (responseTopic != null) {
        Topics.validateName(responseTopic);
      }
      this.responseTopic = responseTopic;
      return this;
    }

    public Builder correlationData(Buffer correlationData) {
      this.correlationData = correlationData;
      return this;
    }

    public Builder payloadFormat(PayloadFormat payloadFormat) {
      this.payloadFormat = Objects.requireNonNull(payloadFormat, "payloadFormat");
      return this;
    }

    /** Adds a user property; names may repeat. */
    public Builder userProperty(String name, String value) {
      userProperties.add(new FlowHeader(name, value));
      return this;
    }

    /** Replaces the user properties. */
    public Builder userProperties(List<FlowHeader> properties) {
      userProperties.clear();
      userProperties.addAll(properties);
      return this;
    }

    public Builder priority(int priority) {
      this.priority = FlowMessage.checkPriority(priority);
      return this;
    }

    public PublishRequest build() {
      return new PublishRequest(this);
    }
  }
}
