package io.flowsdk.mqtt.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** MQTT's data representations written as given: no range checks, so out-of-range values wrap or overflow on purpose. */
final class RawWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  RawWriter u8(int v) {
    out.write(v);
    return this;
  }

  RawWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  RawWriter u32(long v) {
    u16((int) (v >>> 16));
    return u16((int) v);
  }

  /** A variable byte integer; values above 268,435,455 take five or more bytes, which MQTT forbids. */
  RawWriter varint(long v) {
    do {
      int digit = (int) (v & 0x7F);
      v >>>= 7;
      out.write(v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
    return this;
  }

  /** A two-byte length followed by the bytes (a UTF-8 string or binary data, valid or not). */
  RawWriter prefixed(byte[] bytes) {
    u16(bytes.length);
    return bytes(bytes);
  }

  RawWriter bytes(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] varintBytes(long v) {
    return new RawWriter().varint(v).toBytes();
  }
}
