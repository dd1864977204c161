package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.FlowMessage;
import io.flowsdk.bus.FlowOrigin;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Event-bus codec of {@link FlowMessage}. Wire form (version 1): a version byte, a flags byte
 * (QoS in bits 0-1, retain, UTF-8 payload, and presence of expiry, content type, response topic,
 * correlation data), the priority byte, the timestamp, then the present fields, headers, origin
 * and payload, with varint lengths. Locally the immutable message is passed as is.
 */
public final class FlowMessageCodec extends ImmutableCodec<FlowMessage> {

  public static final String NAME = "flowsdk.FlowMessage";

  private static final byte VERSION = 1;
  private static final int RETAIN = 1 << 2;
  private static final int UTF8 = 1 << 3;
  private static final int HAS_EXPIRY = 1 << 4;
  private static final int HAS_CONTENT_TYPE = 1 << 5;
  private static final int HAS_RESPONSE_TOPIC = 1 << 6;
  private static final int HAS_CORRELATION = 1 << 7;

  public FlowMessageCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer out, FlowMessage m) {
    write(out, m);
  }

  @Override
  public FlowMessage decodeFromWire(int pos, Buffer in) {
    return read(new Wire.Reader(in, pos));
  }

  static void write(Buffer out, FlowMessage m) {
    int flags = m.qos().value()
      | (m.retain() ? RETAIN : 0)
      | (m.payloadFormat() == PayloadFormat.UTF8 ? UTF8 : 0)
      | (m.messageExpiry().isPresent() ? HAS_EXPIRY : 0)
      | (m.contentType() != null ? HAS_CONTENT_TYPE : 0)
      | (m.responseTopic() != null ? HAS_RESPONSE_TOPIC : 0)
      | (m.correlationData() != null ? HAS_CORRELATION : 0);
    out.appendByte(VERSION).appendByte((byte) flags).appendByte((byte) m.priority()).appendLong(m.timestamp());
    Wire.writeString(out, m.topic());
    if (m.messageExpiry().isPresent()) {
      Wire.writeVarint(out, m.messageExpiry().getAsLong());
    }
    if (m.contentType() != null) {
      Wire.writeString(out, m.contentType());
    }
    if (m.responseTopic() != null) {
      Wire.writeString(out, m.responseTopic());
    }
    if (m.correlationData() != null) {
      Wire.writeBytes(out, m.correlationData());
    }
    Wire.writeVarint(out, m.headers().size());
    for (FlowHeader h : m.headers()) {
      Wire.writeString(out, h.name());
      Wire.writeString(out, h.value());
    }
    FlowOrigin origin = m.origin();
    Wire.writeString(out, origin.node());
    Wire.writeString(out, origin.adapter());
    Wire.writeString(out, origin.client());
    Wire.writeBytes(out, m.payload());
  }

  static FlowMessage read(Wire.Reader in) {
    byte version = in.readByte();
    if (version != VERSION) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "unknown flow message wire version " + version);
    }
    int flags = in.readByte() & 0xFF;
    int priority = in.readByte() & 0xFF;
    long timestamp = in.readLong();
    FlowMessage.Builder b = FlowMessage.builder(in.readString())
      .qos(QoS.of(flags & 0x3))
      .retain((flags & RETAIN) != 0)
      .payloadFormat((flags & UTF8) != 0 ? PayloadFormat.UTF8 : PayloadFormat.UNSPECIFIED)
      .priority(priority)
      .timestamp(timestamp);
    if ((flags & HAS_EXPIRY) != 0) {
      b.messageExpiry(in.readVarint());
    }
    if ((flags & HAS_CONTENT_TYPE) != 0) {
      b.contentType(in.readString());
    }
    if ((flags & HAS_RESPONSE_TOPIC) != 0) {
      b.responseTopic(in.readString());
    }
    if ((flags & HAS_CORRELATION) != 0) {
      b.correlationData(in.readBytes());
    }
    int headerCount = in.readCount();
    List<FlowHeader> headers = new ArrayList<>(Math.min(headerCount, 64));
    for (int i = 0; i < headerCount; i++) {
      headers.add(new FlowHeader(in.readString(), in.readString()));
    }
    b.headers(headers);
    b.origin(new FlowOrigin(in.readString(), in.readString(), in.readString()));
    return b.payload(in.readBytes()).build();
  }
}
