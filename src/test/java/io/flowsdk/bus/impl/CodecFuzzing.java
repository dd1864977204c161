package io.flowsdk.bus.impl;

import io.flowsdk.FlowException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** What the bus codecs' fuzz targets share: decoding any bytes, and one encode/decode round trip. */
final class CodecFuzzing {

  private CodecFuzzing() {
  }

  /** What {@code codec} decodes from {@code data}, or null when it refused the bytes with a {@link FlowException}, the one refusal allowed. */
  static <T> T decodedOrRefused(MessageCodec<T, T> codec, byte[] data) {
    try {
      return codec.decodeFromWire(0, Buffer.buffer(data));
    } catch (FlowException expected) {
      return null;
    }
  }

  /** {@code decoded} encoded and decoded again. */
  static <T> T roundTripped(MessageCodec<T, T> codec, T decoded) {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, decoded);
    return codec.decodeFromWire(0, wire);
  }
}
