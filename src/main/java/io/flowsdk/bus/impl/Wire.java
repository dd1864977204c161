package io.flowsdk.bus.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** Compact binary primitives of FlowSDK's event-bus codecs: unsigned varints and length-prefixed bytes. */
final class Wire {

  private Wire() {
  }

  static void writeVarint(Buffer out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.appendByte((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.appendByte((byte) value);
  }

  static void writeString(Buffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(out, bytes.length);
    out.appendBytes(bytes);
  }

  static void writeBytes(Buffer out, Buffer bytes) {
    writeVarint(out, bytes.length());
    out.appendBuffer(bytes);
  }

  /** A cursor over a buffer; reading past the end fails with {@link FlowError#PROTOCOL_ERROR}. */
  static final class Reader {
    private final Buffer in;
    private int pos;

    Reader(Buffer in, int pos) {
      this.in = in;
      this.pos = pos;
    }

    int position() {
      return pos;
    }

    byte readByte() {
      need(1);
      return in.getByte(pos++);
    }

    long readLong() {
      need(8);
      long v = in.getLong(pos);
      pos += 8;
      return v;
    }

    long readVarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = readByte();
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new FlowException(FlowError.PROTOCOL_ERROR, "varint longer than 64 bits in flow bus frame");
    }

    int readLength() {
      return bounded("length");
    }

    /** A count of items that follow; each takes at least one byte, so it is bounded like a length. */
    int readCount() {
      return bounded("count");
    }

    private int bounded(String what) {
      long n = readVarint();
      // a ten-byte varint can set the sign bit: a negative value must not reach Buffer.getString or new ArrayList
      if (n < 0 || n > in.length() - pos) {
        throw new FlowException(FlowError.PROTOCOL_ERROR, what + " " + n + " runs past the end of the flow bus frame");
      }
      return (int) n;
    }

    String readString() {
      int n = readLength();
      String s = in.getString(pos, pos + n, "UTF-8");
      pos += n;
      return s;
    }

    Buffer readBytes() {
      int n = readLength();
      Buffer b = in.getBuffer(pos, pos + n);
      pos += n;
      return b;
    }

    private void need(int n) {
      if (pos + n > in.length()) {
        throw new FlowException(FlowError.PROTOCOL_ERROR, "flow bus frame ends early");
      }
    }
  }
}
