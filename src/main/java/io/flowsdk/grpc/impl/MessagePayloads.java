package io.flowsdk.grpc.impl;

import io.vertx.grpc.common.GrpcMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of a received gRPC message, decompressed. The gateway decodes requests itself (vertx-grpc
 * resets the stream on a message it cannot decode), so it also undoes the message encoding itself.
 */
final class MessagePayloads {

  private MessagePayloads() {
  }

  /** The message's protobuf bytes; fails for an encoding other than identity and gzip, or broken gzip. */
  static byte[] bytes(GrpcMessage message) throws IOException {
    String encoding = message.encoding();
    if (encoding == null || encoding.equals("identity")) {
      return message.payload().getBytes();
    }
    if (encoding.equals("gzip")) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(message.payload().getBytes()))) {
        return in.readAllBytes();
      }
    }
    throw new IOException("unsupported message encoding '" + encoding + "'");
  }
}
