package io.flowsdk.bus;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.bus.impl.FlowMessageCodec;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FlowMessageCodecTest {

  private final FlowMessageCodec codec = new FlowMessageCodec();

  private FlowMessage roundTrip(FlowMessage m, int offset) {
    Buffer wire = Buffer.buffer(new byte[offset]);
    codec.encodeToWire(wire, m);
    return codec.decodeFromWire(offset, wire);
  }

  @Property(tries = 500)
  void givenAnyMessage_whenEncodedAndDecoded_thenEqual(@ForAll("messages") FlowMessage m, @ForAll("offsets") int offset) {
    assertEquals(m, roundTrip(m, offset));
  }

  @Example
  void givenEmptyPayloadAndNoOptionalFields_whenRoundTripped_thenEqual() {
    FlowMessage m = FlowMessage.builder("a").build();
    assertEquals(m, roundTrip(m, 0));
  }

  @Example
  void givenFourMegabytePayload_whenRoundTripped_thenEqual() {
    byte[] big = new byte[4 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    FlowMessage m = FlowMessage.builder("big/one").payload(Buffer.buffer(big)).qos(QoS.EXACTLY_ONCE).build();
    assertEquals(m, roundTrip(m, 3));
  }

  @Example
  void givenTruncatedFrame_whenDecoded_thenProtocolErrorNotGarbage() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, FlowMessage.builder("t").payload("hello").header("k", "v").build());
    for (int cut = 0; cut < wire.length(); cut++) {
      Buffer truncated = wire.getBuffer(0, cut);
      FlowException e = assertThrows(FlowException.class, () -> codec.decodeFromWire(0, truncated));
      assertEquals(FlowError.PROTOCOL_ERROR, e.error());
    }
  }

  @Provide
  Arbitrary<Integer> offsets() {
    return Arbitraries.integers().between(0, 16);
  }

  @Provide
  Arbitrary<FlowMessage> messages() {
    Arbitrary<String> level = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(0).ofMaxLength(8);
    Arbitrary<String> topic = level.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("/", l)).filter(t -> !t.isEmpty());
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(20).filter(s -> s.indexOf('\u0000') < 0 && !hasLoneSurrogate(s));
    Arbitrary<Buffer> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Buffer::buffer);
    Arbitrary<List<FlowHeader>> headers = Combinators.combine(text, text).as(FlowHeader::new).list().ofMaxSize(4);
    Arbitrary<FlowOrigin> origin = Combinators.combine(text, text, text).as(FlowOrigin::new);
    Arbitrary<FlowMessage.Builder> base = Combinators.combine(topic, bytes, headers, Arbitraries.of(QoS.class),
        Arbitraries.of(true, false), Arbitraries.integers().between(0, 255), Arbitraries.longs().between(0, 4_000_000_000_000L),
        Arbitraries.of(PayloadFormat.class))
      .as((t, p, h, q, r, prio, ts, pf) -> FlowMessage.builder(t).payload(p).headers(h).qos(q).retain(r).priority(prio)
        .timestamp(ts).payloadFormat(pf));
    return Combinators.combine(base, Arbitraries.longs().between(-1, 0xFFFF_FFFFL), text.injectNull(0.3),
        topic.injectNull(0.3), bytes.injectNull(0.3), origin)
      .as((b, expiry, contentType, responseTopic, correlation, o) -> {
        if (expiry >= 0) {
          b.messageExpiry(expiry);
        }
        return b.contentType(contentType).responseTopic(responseTopic).correlationData(correlation).origin(o).build();
      });
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(++i)))) {
        return true;
      }
      if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
