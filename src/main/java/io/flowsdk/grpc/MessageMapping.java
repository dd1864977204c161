package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.flowsdk.grpc.v1.Header;
import io.flowsdk.grpc.v1.Origin;
import io.flowsdk.topic.Topics;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps flow messages between the proto form ({@code flowsdk.v1.FlowMessage}) and the bus form
 * ({@link FlowMessage}) field by field: the gateway uses it for every call, and a gRPC client of a
 * gateway that lives on a bus of its own (the bus relay) uses it for what it sends and receives. The
 * proto form comes from the network, so reading it validates everything and fails with
 * {@link FlowError#INVALID} and a message naming the field. Costs one copy of each payload.
 */
public final class MessageMapping {

  private MessageMapping() {
  }

  /**
   * The bus form of {@code m}. {@code defaultTopic} (may be null) is used when the proto topic is
   * empty; the origin is always the gateway's, never the client's.
   */
  public static FlowMessage toBus(io.flowsdk.grpc.v1.FlowMessage m, String defaultTopic, FlowOrigin origin,
                                  int maxPayloadBytes) {
    String topic = m.getTopic().isEmpty() ? defaultTopic : m.getTopic();
    if (topic == null || topic.isEmpty()) {
      throw invalid("message.topic is empty: a topic name is required");
    }
    String problem = Topics.nameProblem(topic);
    if (problem != null) {
      throw invalid("message.topic: " + problem);
    }
    if (m.getPayload().size() > maxPayloadBytes) {
      throw new FlowException(FlowError.TOO_LARGE, "message.payload has " + m.getPayload().size()
        + " bytes, more than the gateway's maxPayloadBytes " + maxPayloadBytes);
    }
    PayloadFormat format = payloadFormat(m);
    if (format == PayloadFormat.UTF8 && !m.getPayload().isValidUtf8()) {
      throw invalid("message.payload is not valid UTF-8 although message.payload_format is PAYLOAD_FORMAT_UTF8");
    }
    FlowMessage.Builder b = FlowMessage.builder(topic)
      .payload(Buffer.buffer(m.getPayload().toByteArray()))
      .qos(qos(m.getQosValue(), "message.qos"))
      .retain(m.getRetain())
      .payloadFormat(format)
      .origin(origin);
    if (!m.getContentType().isEmpty()) {
      b.contentType(m.getContentType());
    }
    if (m.getHeadersCount() > 0) {
      List<FlowHeader> headers = new ArrayList<>(m.getHeadersCount());
      for (Header h : m.getHeadersList()) {
        headers.add(new FlowHeader(h.getName(), h.getValue()));
      }
      b.headers(headers);
    }
    if (m.hasMessageExpirySeconds()) {
      b.messageExpiry(Integer.toUnsignedLong(m.getMessageExpirySeconds()));
    }
    if (m.hasPriority()) {
      int priority = m.getPriority();
      if (priority < 0 || priority > 255) {
        throw invalid("message.priority must be 0..255, not " + Integer.toUnsignedLong(priority));
      }
      b.priority(priority);
    }
    if (!m.getResponseTopic().isEmpty()) {
      String rtProblem = Topics.nameProblem(m.getResponseTopic());
      if (rtProblem != null) {
        throw invalid("message.response_topic: " + rtProblem);
      }
      b.responseTopic(m.getResponseTopic());
    }
    if (!m.getCorrelationData().isEmpty()) {
      b.correlationData(Buffer.buffer(m.getCorrelationData().toByteArray()));
    }
    return b.build();
  }

  /** The proto form of {@code m}; the expiry is the time left at {@code nowMillis}. */
  public static io.flowsdk.grpc.v1.FlowMessage toProto(FlowMessage m, long nowMillis) {
    io.flowsdk.grpc.v1.FlowMessage.Builder b = io.flowsdk.grpc.v1.FlowMessage.newBuilder()
      .setTopic(m.topic())
      .setPayload(bytes(m.payload()))
      .setQosValue(m.qos().value())
      .setRetain(m.retain())
      .setPriority(m.priority())
      .setPayloadFormatValue(m.payloadFormat() == PayloadFormat.UTF8 ? 1 : 0)
      .setTimestampMillis(m.timestamp())
      .setOrigin(Origin.newBuilder()
        .setNode(m.origin().node())
        .setAdapter(m.origin().adapter())
        .setClient(m.origin().client()));
    if (m.contentType() != null) {
      b.setContentType(m.contentType());
    }
    for (FlowHeader h : m.headers()) {
      b.addHeaders(Header.newBuilder().setName(h.name()).setValue(h.value()));
    }
    m.remainingExpiry(nowMillis).ifPresent(s -> b.setMessageExpirySeconds((int) s));
    if (m.responseTopic() != null) {
      b.setResponseTopic(m.responseTopic());
    }
    if (m.correlationData() != null) {
      b.setCorrelationData(bytes(m.correlationData()));
    }
    return b.build();
  }

  /** The bus QoS of a proto QoS number; an unknown number is {@link FlowError#INVALID}. */
  public static QoS qos(int value, String field) {
    if (value < 0 || value > 2) {
      throw invalid(field + " must be 0, 1 or 2 (QOS_AT_MOST_ONCE..QOS_EXACTLY_ONCE), not " + value);
    }
    return QoS.of(value);
  }

  private static PayloadFormat payloadFormat(io.flowsdk.grpc.v1.FlowMessage m) {
    switch (m.getPayloadFormatValue()) {
      case 0:
        return PayloadFormat.UNSPECIFIED;
      case 1:
        return PayloadFormat.UTF8;
      default:
        throw invalid("message.payload_format must be 0 or 1, not " + m.getPayloadFormatValue());
    }
  }

  private static ByteString bytes(Buffer buffer) {
    // getBytes() returns a fresh copy that nothing else holds: wrapping it saves a second copy
    return buffer.length() == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(buffer.getBytes());
  }

  private static FlowException invalid(String message) {
    return new FlowException(FlowError.INVALID, message);
  }
}
