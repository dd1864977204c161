package io.flowsdk.admin.resources;

import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How the admin API shows a payload: its size, its text when it is UTF-8 (else null), and always its standard
 * base64 (RFC 4648 section 4, padded: what {@code base64 -d} reads; Vert.x would write the URL-safe form unpadded).
 */
final class AdminPayloads {

  private AdminPayloads() {
  }

  /** {@code json} with the fields {@code payloadBytes}, {@code payload} and {@code payloadBase64} of {@code payload}. */
  static JsonObject put(JsonObject json, byte[] payload) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
    } catch (CharacterCodingException e) {
      text = null;
    }
    return json.put("payloadBytes", payload.length).put("payload", text).put("payloadBase64", Base64.getEncoder().encodeToString(payload));
  }
}
