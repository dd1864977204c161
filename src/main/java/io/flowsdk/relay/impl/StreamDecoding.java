package io.flowsdk.relay.impl;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.vertx.grpc.common.GrpcMessage;

/**
 * Decodes received stream messages here rather than in vertx-grpc, which answers an undecodable message
 * by resetting the stream without telling the stream's handlers, so the session behind it would leak.
 * Compressed messages are refused: neither our edge nor FlowSDK's r-proxy compresses.
 */
final class StreamDecoding {

  private StreamDecoding() {
  }

  /** @throws FlowException PROTOCOL_ERROR for a compressed message or bytes that are not an mqtt.MqttStreamMessage */
  static MqttStreamMessage decode(GrpcMessage message) {
    String encoding = message.encoding();
    if (encoding != null && !encoding.equals("identity")) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "the stream carried a message compressed with '" + encoding
        + "'; the relay takes uncompressed messages only");
    }
    try {
      return MqttStreamMessage.parseFrom(message.payload().getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "the stream carried a message that is not an "
        + "mqtt.MqttStreamMessage: " + e.getMessage(), e);
    }
  }
}
