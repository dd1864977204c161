package io.flowsdk.grpc.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.common.impl.Http2GrpcMessageDeframer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MessageBoundariesTest {

  /** A gRPC message: flag 0, the length, then {@code length} bytes each holding {@code fill}. */
  private static Buffer framed(int length, int fill) {
    Buffer b = Buffer.buffer().appendByte((byte) 0).appendInt(length);
    for (int i = 0; i < length; i++) {
      b.appendByte((byte) fill);
    }
    return b;
  }

  private static List<String> pieces(Buffer... chunks) {
    List<String> out = new ArrayList<>();
    MessageBoundaries cut = new MessageBoundaries(piece -> out.add(describe(piece)));
    for (Buffer chunk : chunks) {
      cut.handle(chunk);
    }
    return out;
  }

  /** A piece as "flag,length:fill×n" for whole messages, or "part:<bytes>" for the rest. */
  private static String describe(Buffer piece) {
    if (piece.length() >= 5 && piece.getInt(1) == piece.length() - 5) {
      return piece.getInt(1) == 0 ? "empty" : piece.getInt(1) + "x" + piece.getByte(5);
    }
    return "part:" + piece.length();
  }

  @Test
  void givenThreeMessagesInOneChunk_whenCut_thenEachMessageAlone() {
    Buffer chunk = framed(3, 1).appendBuffer(framed(0, 0)).appendBuffer(framed(2, 7));
    assertEquals(List.of("3x1", "empty", "2x7"), pieces(chunk));
  }

  @Test
  void givenOneMessageInOneChunk_whenCut_thenTheChunkItselfIsHandedOn() {
    Buffer chunk = framed(4, 9);
    List<Buffer> out = new ArrayList<>();
    new MessageBoundaries(out::add).handle(chunk);
    assertEquals(1, out.size());
    assertEquals(chunk, out.get(0));
  }

  @Test
  void givenPrefixSplitAcrossChunks_whenCut_thenPiecesEndWhereMessagesEnd() {
    Buffer all = framed(3, 1).appendBuffer(framed(300, 2)).appendBuffer(framed(1, 3));
    // the second message's prefix is cut after 2 of its 5 bytes, its body after 100 bytes
    Buffer first = all.getBuffer(0, 8 + 2);
    Buffer second = all.getBuffer(10, 10 + 3 + 100);
    Buffer third = all.getBuffer(113, all.length());
    assertEquals(List.of("3x1", "part:2", "part:103", "part:200", "1x3"), pieces(first, second, third));
  }

  @Test
  void givenAnyChunking_whenCutAndDeframed_thenTheDeframerGetsTheSameMessagesInOrder() {
    Random random = new Random(12);
    Buffer all = Buffer.buffer();
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int length = random.nextInt(4) == 0 ? 0 : random.nextInt(700);
      lengths.add(length);
      all.appendBuffer(framed(length, i));
    }
    for (int trial = 0; trial < 20; trial++) {
      Http2GrpcMessageDeframer deframer = new Http2GrpcMessageDeframer(null, WireFormat.PROTOBUF);
      deframer.maxMessageSize(1 << 20);
      List<Integer> got = new ArrayList<>();
      List<Integer> fills = new ArrayList<>();
      MessageBoundaries cut = new MessageBoundaries(piece -> {
        deframer.update(piece);
        for (Object m = deframer.next(); m != null; m = deframer.next()) {
          Buffer payload = ((GrpcMessage) m).payload();
          got.add(payload.length());
          fills.add(payload.length() == 0 ? -1 : (int) payload.getUnsignedByte(0));
        }
      });
      for (int at = 0; at < all.length(); ) {
        int end = Math.min(all.length(), at + 1 + random.nextInt(trial == 0 ? all.length() : 2000));
        cut.handle(all.getBuffer(at, end));
        at = end;
      }
      assertEquals(lengths, got, "trial " + trial);
      for (int i = 0; i < lengths.size(); i++) {
        if (lengths.get(i) > 0) {
          assertEquals(i & 0xff, fills.get(i), "message " + i + " of trial " + trial);
        }
      }
    }
  }
}
