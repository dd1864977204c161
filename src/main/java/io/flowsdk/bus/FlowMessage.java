package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.topic.Topics;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An immutable message on the flow bus. Its fields are a superset of an MQTT 5 PUBLISH, so MQTT
 * messages (including request/response with response topic and correlation data) cross the bus
 * without loss; gRPC messages map onto the same fields.
 *
 * <p>Built with {@link #builder(String)}; the builder validates the topic name, the priority range
 * and the expiry, so an instance is always valid. Optional fields return {@code null} when absent.
 */
public final class FlowMessage {

  /** Priority given to messages that do not set one; 0 is the lowest, 255 the highest. */
  public static final int DEFAULT_PRIORITY = 128;

  private final String topic;
  private final Buffer payload;
  private final List<FlowHeader> headers;
  private final QoS qos;
  private final boolean retain;
  private final long messageExpirySeconds;
  private final long timestamp;
  private final int priority;
  private final String contentType;
  private final String responseTopic;
  private final Buffer correlationData;
  private final PayloadFormat payloadFormat;
  private final FlowOrigin origin;

  private FlowMessage(Builder b) {
    this.topic = b.topic;
    this.payload = b.payload;
    this.headers = b.headers.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(new ArrayList<>(b.headers));
    this.qos = b.qos;
    this.retain = b.retain;
    this.messageExpirySeconds = b.messageExpirySeconds;
    this.timestamp = b.timestamp;
    this.priority = b.priority;
    this.contentType = b.contentType;
    this.responseTopic = b.responseTopic;
    this.correlationData = b.correlationData;
    this.payloadFormat = b.payloadFormat;
    this.origin = b.origin;
  }

  /** A builder for a message on {@code topic}, a valid MQTT topic name (no wildcards). */
  public static Builder builder(String topic) {
    return new Builder().topic(topic);
  }

  /** A QoS 0 message with a payload and defaults for everything else. */
  public static FlowMessage of(String topic, Buffer payload) {
    return builder(topic).payload(payload).build();
  }

  /** A builder holding this message's fields, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.topic = topic;
    b.payload = payload;
    b.headers.addAll(headers);
    b.qos = qos;
    b.retain = retain;
    b.messageExpirySeconds = messageExpirySeconds;
    b.timestamp = timestamp;
    b.priority = priority;
    b.contentType = contentType;
    b.responseTopic = responseTopic;
    b.correlationData = correlationData;
    b.payloadFormat = payloadFormat;
    b.origin = origin;
    return b;
  }

  public String topic() {
    return topic;
  }

  /** The payload; never null, possibly empty. Do not modify it: it is shared. */
  public Buffer payload() {
    return payload;
  }

  /** Headers in order; a name may repeat (MQTT user properties allow it). */
  public List<FlowHeader> headers() {
    return headers;
  }

  /** The first value of the header {@code name}, or null. */
  public String header(String name) {
    for (FlowHeader h : headers) {
      if (h.name().equals(name)) {
        return h.value();
      }
    }
    return null;
  }

  public QoS qos() {
    return qos;
  }

  public boolean retain() {
    return retain;
  }

  /** The message expiry interval in seconds as given by the publisher, if any. */
  public OptionalLong messageExpiry() {
    return messageExpirySeconds < 0 ? OptionalLong.empty() : OptionalLong.of(messageExpirySeconds);
  }

  /** Seconds left before the message expires at {@code nowMillis}, if it has an expiry (never negative). */
  public OptionalLong remainingExpiry(long nowMillis) {
    if (messageExpirySeconds < 0) {
      return OptionalLong.empty();
    }
    long elapsed = Math.max(0, nowMillis - timestamp) / 1000;
    return OptionalLong.of(Math.max(0, messageExpirySeconds - elapsed));
  }

  /** True when the message has an expiry interval that has run out at {@code nowMillis}. */
  public boolean isExpired(long nowMillis) {
    return messageExpirySeconds >= 0 && nowMillis - timestamp >= messageExpirySeconds * 1000;
  }

  /** When the message was created (epoch milliseconds); the expiry counts from here. */
  public long timestamp() {
    return timestamp;
  }

  /** 0 (lowest) to 255 (highest); bounded buffers drop the lowest priority first. */
  public int priority() {
    return priority;
  }

  /** {@code priority} if it is 0..255; anything else fails with {@link FlowError#INVALID}. */
  public static int checkPriority(int priority) {
    if (priority < 0 || priority > 255) {
      throw new FlowException(FlowError.INVALID, "priority must be 0..255, not " + priority);
    }
    return priority;
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

  public FlowOrigin origin() {
    return origin;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FlowMessage)) {
      return false;
    }
    FlowMessage m = (FlowMessage) o;
    return topic.equals(m.topic) && payload.equals(m.payload) && headers.equals(m.headers) && qos == m.qos
      && retain == m.retain && messageExpirySeconds == m.messageExpirySeconds && timestamp == m.timestamp
      && priority == m.priority && Objects.equals(contentType, m.contentType)
      && Objects.equals(responseTopic, m.responseTopic) && Objects.equals(correlationData, m.correlationData)
      && payloadFormat == m.payloadFormat && origin.equals(m.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, payload, qos, timestamp);
  }

  @Override
  public String toString() {
    return "FlowMessage[topic=" + topic + ", qos=" + qos.value() + ", retain=" + retain + ", priority=" + priority
      + ", payload=" + payload.length() + " bytes, origin=" + origin + "]";
  }

  /** Builds a {@link FlowMessage}; each setter rejects an invalid value with {@link FlowError#INVALID}. */
  public static final class Builder {
    private String topic;
    private Buffer payload = Buffer.buffer();
    private final List<FlowHeader> headers = new ArrayList<>(0);
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean retain;
    private long messageExpirySeconds = -1;
    private long timestamp = System.currentTimeMillis();
    private int priority = DEFAULT_PRIORITY;
    private String contentType;
    private String responseTopic;
    private Buffer correlationData;
    private PayloadFormat payloadFormat = PayloadFormat.UNSPECIFIED;
    private FlowOrigin origin = FlowOrigin.UNKNOWN;

    private Builder() {
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

    public Builder header(String name, String value) {
      headers.add(new FlowHeader(name, value));
      return this;
    }

    public Builder headers(List<FlowHeader> headers) {
      this.headers.clear();
      this.headers.addAll(headers);
      return this;
    }

    public Builder qos(QoS qos) {
      this.qos = Objects.requireNonNull(qos, "qos");
      return this;
    }

    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    /** Expiry interval in seconds (0 to 4294967295, MQTT's range); the message is dropped when it runs out. */
    public Builder messageExpiry(long seconds) {
      if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
        throw new FlowException(FlowError.INVALID, "message expiry must be 0..4294967295 seconds, not " + seconds);
      }
      this.messageExpirySeconds = seconds;
      return this;
    }

    public Builder noMessageExpiry() {
      this.messageExpirySeconds = -1;
      return this;
    }

    /** Creation time in epoch milliseconds; defaults to the time the builder was made. */
    public Builder timestamp(long epochMillis) {
      this.timestamp = epochMillis;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = checkPriority(priority);
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    /** Where a responder should publish its answer; a valid topic name, or null. */
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

    public Builder origin(FlowOrigin origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    public FlowMessage build() {
      return new FlowMessage(this);
    }
  }
}
