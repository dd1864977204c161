package io.flowsdk.relay.impl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client and session ids as gRPC metadata values, which must be visible ASCII: every other byte of the
 * UTF-8 form, and '%', becomes {@code %XX}. Decoding leaves a malformed escape as it is, so any header
 * value decodes to some string and bad input never throws.
 */
public final class MetadataValues {

  /** The metadata key of the session id, as FlowSDK's r-proxy sends it. */
  public static final String SESSION_ID = "session-id";
  /** The metadata key of the client id, as FlowSDK's r-proxy sends it. */
  public static final String CLIENT_ID = "client-id";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private MetadataValues() {
  }

  public static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c > 0x20 && c < 0x7F && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  public static String decode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int hi;
      int lo;
      if (c == '%' && i + 2 < value.length()
        && (hi = Character.digit(value.charAt(i + 1), 16)) >= 0 && (lo = Character.digit(value.charAt(i + 2), 16)) >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
