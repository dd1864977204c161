package io.flowsdk.relay.impl;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Byte arrays and buffers between Netty and protobuf, copied once. */
final class Bytes {

  private Bytes() {
  }

  static ByteString of(byte[] bytes) {
    return bytes == null ? ByteString.EMPTY : ByteString.copyFrom(bytes);
  }

  /** The readable bytes of {@code buf}, which is left unchanged. */
  static ByteString of(ByteBuf buf) {
    return ByteString.copyFrom(buf.nioBuffer());
  }

  static ByteBuf buf(ByteString bytes) {
    return Unpooled.wrappedBuffer(bytes.asReadOnlyByteBuffer());
  }
}
