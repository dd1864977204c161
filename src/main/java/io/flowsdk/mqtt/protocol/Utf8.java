package io.flowsdk.mqtt.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Well-formed UTF-8 as MQTT requires it (MQTT-1.5.3-1 / MQTT-1.5.4-1): no overlong forms, no encoded surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF. Netty's decoder replaces such bytes with U+FFFD, which then looks like
 * a legal string, so the check has to run on the bytes.
 */
public final class Utf8 {

  private Utf8() {
  }

  /** Whether the {@code length} bytes of {@code buf} from {@code index} are well-formed UTF-8. */
  public static boolean isWellFormed(ByteBuf buf, int index, int length) {
    int end = index + length;
    int i = index;
    while (i < end) {
      int b = buf.getByte(i++) & 0xFF;
      if (b < 0x80) {
        continue;
      }
      int more;
      int min;
      int cp;
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
        min = 0x80;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        min = 0x800;
        cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        min = 0x10000;
        cp = b & 0x07;
      } else {
        return false; // a continuation byte first, 0xC0/0xC1 (always overlong) or above 0xF4
      }
      if (i + more > end) {
        return false;
      }
      for (int k = 0; k < more; k++) {
        int c = buf.getByte(i++) & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
    }
    return true;
  }
}
