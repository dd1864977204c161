package io.flowsdk.mqtt.protocol;

import io.flowsdk.mqtt.testing.AckBuilder;
import io.flowsdk.mqtt.testing.PacketFactory;
import io.flowsdk.mqtt.testing.RawPacket;
import io.flowsdk.mqtt.testing.RawProperties;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A valid MQTT 5 packet of any type with a property block, made from any bytes, with what a decoder must read from
 * it: every field and every property, as {@link DecodedFields} lists a decoded packet's. The packet is encoded by the
 * toolkit's {@link RawPacket}, not by Netty. Properties come in the order the bytes give, from every kind the packet
 * may carry, strings up to some 16 KB long, so property blocks of 128 bytes and of 16 KB are common and so is a short
 * property at their end.
 *
 * <p>The bytes are read front to back, a missing byte read as 0: the first picks the packet type, then come the
 * fields before the block, the properties (a count, then for each an identifier and its value), the fields after it.
 * A string is a length byte (from 240 up, {@code (length - 240) * 1100} characters) and a byte its letters start at.
 */
final class RandomPacket {

  private static final int[] PUBACK_REASONS = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
  private static final int[] PUBREL_REASONS = {0x00, 0x92};
  private static final int[] CONNACK_REASONS = {0x00, 0x80, 0x81, 0x84, 0x85, 0x86, 0x87, 0x88, 0x8A, 0x97, 0x9C};
  private static final int[] SUBACK_REASONS = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
  private static final int[] UNSUBACK_REASONS = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
  private static final int[] DISCONNECT_REASONS = {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8E, 0x93, 0x95};
  private static final int[] AUTH_REASONS = {0x00, 0x18, 0x19};
  private static final int MAX_PROPERTIES = 40;

  private final byte[] data;
  private int pos;
  private final List<String> expected = new ArrayList<>();
  private final RawPacket packet;

  private RandomPacket(byte[] data) {
    this.data = data;
    this.packet = build(RawPacket.v5());
  }

  static RandomPacket from(byte[] data) {
    return new RandomPacket(data);
  }

  RawPacket packet() {
    return packet;
  }

  /** Every field and property the packet holds, as {@link DecodedFields#of} lists them. */
  List<String> expected() {
    return expected;
  }

  private RawPacket build(PacketFactory v5) {
    switch (next() % 12) {
      case 0 -> {
        return connect(v5);
      }
      case 1 -> {
        int reason = pick(CONNACK_REASONS);
        boolean sessionPresent = reason == 0 && (next() & 1) == 1;
        expect("CONNACK", "session present " + sessionPresent, "reason " + reason);
        return v5.connack().sessionPresent(sessionPresent).reasonCode(reason)
          .properties(properties(PropertyRules.CONNACK, "")).build();
      }
      case 2 -> {
        return publish(v5);
      }
      case 3 -> {
        return acknowledgement(PropertyRules.PUBACK, v5.puback(), PUBACK_REASONS);
      }
      case 4 -> {
        return acknowledgement(PropertyRules.PUBREC, v5.pubrec(), PUBACK_REASONS);
      }
      case 5 -> {
        return acknowledgement(PropertyRules.PUBREL, v5.pubrel(), PUBREL_REASONS);
      }
      case 6 -> {
        return acknowledgement(PropertyRules.PUBCOMP, v5.pubcomp(), PUBREL_REASONS);
      }
      case 7 -> {
        return subscribe(v5);
      }
      case 8 -> {
        int packetId = packetId();
        expect("SUBACK", "packet id " + packetId);
        RawProperties props = properties(PropertyRules.SUBACK, "");
        return v5.suback().packetId(packetId).properties(props).reasonCodes(reasonCodes(SUBACK_REASONS)).build();
      }
      case 9 -> {
        int packetId = packetId();
        expect("UNSUBSCRIBE", "packet id " + packetId);
        var unsubscribe = v5.unsubscribe().packetId(packetId).properties(properties(PropertyRules.UNSUBSCRIBE, ""));
        for (int i = 0, n = 1 + next() % 4; i < n; i++) {
          String filter = "f/" + text(64);
          unsubscribe.filter(filter);
          expected.add("filter " + filter);
        }
        return unsubscribe.build();
      }
      case 10 -> {
        int packetId = packetId();
        expect("UNSUBACK", "packet id " + packetId);
        RawProperties props = properties(PropertyRules.UNSUBACK, "");
        return v5.unsuback().packetId(packetId).properties(props).reasonCodes(reasonCodes(UNSUBACK_REASONS)).build();
      }
      default -> {
        boolean disconnect = (next() & 1) == 0;
        int reason = pick(disconnect ? DISCONNECT_REASONS : AUTH_REASONS);
        expect(disconnect ? "DISCONNECT" : "AUTH", "reason " + reason);
        var builder = disconnect ? v5.disconnect() : v5.auth();
        return builder.reasonCode(reason)
          .properties(properties(disconnect ? PropertyRules.DISCONNECT : PropertyRules.AUTH, "")).build();
      }
    }
  }

  private RawPacket connect(PacketFactory v5) {
    int flags = next();
    boolean cleanStart = (flags & 1) == 1;
    int keepAlive = twoBytes();
    expect("CONNECT", "clean start " + cleanStart, "keep alive " + keepAlive);
    var connect = v5.connect().cleanStart(cleanStart).keepAlive(keepAlive)
      .properties(properties(PropertyRules.CONNECT, ""));
    String clientId = text(23);
    connect.clientId(clientId);
    expected.add("client id " + clientId);
    if ((flags & 2) != 0) {
      int qos = next() % 3;
      boolean retain = (next() & 1) == 1;
      expect("will qos " + qos, "will retain " + retain);
      connect.willProperties(properties(PropertyRules.WILL, "will "));
      String topic = "w/" + text(Integer.MAX_VALUE);
      String payload = text(Integer.MAX_VALUE);
      connect.will(topic, payload, qos, retain);
      expect("will topic " + topic, "will payload " + payload);
    }
    if ((flags & 4) != 0) {
      String username = text(Integer.MAX_VALUE);
      connect.username(username);
      expected.add("user name " + username);
    }
    if ((flags & 8) != 0) {
      String password = text(Integer.MAX_VALUE);
      connect.password(password.getBytes(StandardCharsets.UTF_8));
      expected.add("password " + password);
    }
    return connect.build();
  }

  private RawPacket publish(PacketFactory v5) {
    int flags = next();
    int qos = flags % 3;
    boolean retain = (flags & 4) != 0;
    boolean dup = qos > 0 && (flags & 8) != 0;
    String topic = "t/" + text(Integer.MAX_VALUE);
    var publish = v5.publish().qos(qos).retain(retain).dup(dup).topic(topic);
    expect("PUBLISH", "qos " + qos, "retain " + retain, "dup " + dup, "topic " + topic);
    if (qos > 0) {
      int packetId = packetId();
      publish.packetId(packetId);
      expected.add("packet id " + packetId);
    } else {
      publish.withoutPacketId();
    }
    publish.properties(properties(PropertyRules.PUBLISH, ""));
    String payload = text(Integer.MAX_VALUE);
    expected.add("payload " + payload);
    return publish.payload(payload).build();
  }

  private RawPacket acknowledgement(PropertyRules type, AckBuilder ack, int[] reasons) {
    int packetId = packetId();
    int reason = pick(reasons);
    expect(type.name(), "packet id " + packetId, "reason " + reason);
    return ack.packetId(packetId).reasonCode(reason).properties(properties(type, "")).build();
  }

  private RawPacket subscribe(PacketFactory v5) {
    int packetId = packetId();
    expect("SUBSCRIBE", "packet id " + packetId);
    var subscribe = v5.subscribe().packetId(packetId).properties(properties(PropertyRules.SUBSCRIBE, ""));
    for (int i = 0, n = 1 + next() % 4; i < n; i++) {
      String filter = "f/" + text(64);
      int options = next();
      int qos = options % 3;
      int retainHandling = (options >> 4) % 3;
      int valid = qos | options & 0x0C | retainHandling << 4;
      subscribe.filter(filter, valid);
      expected.add("filter " + filter + " options " + valid);
    }
    return subscribe.build();
  }

  /**
   * Properties a {@code packet} may carry, in the order the bytes give; the expected ones are added in the order a
   * decoder keeps them, by identifier, each line starting with {@code prefix}: repeated User Properties in their
   * order, repeated Subscription Identifiers by value, since their order is not significant (MQTT-3.3.4-4) and
   * {@link NettyPropertyOrder} may change it.
   */
  private RawProperties properties(PropertyRules packet, String prefix) {
    List<Integer> allowed = new ArrayList<>();
    for (int id = 1; id <= 0x2A; id++) {
      if (packet.typeOf(id) != null) {
        allowed.add(id);
      }
    }
    RawProperties props = RawProperties.create();
    List<int[]> order = new ArrayList<>(); // {id, rank among those of its id, index into lines}
    List<String> lines = new ArrayList<>();
    long seen = 0;
    for (int i = 0, n = next() % (MAX_PROPERTIES + 1); i < n; i++) {
      int id = allowed.get(next() % allowed.size());
      if ((seen & 1L << id) != 0 && !packet.mayRepeat(id)) {
        continue;
      }
      seen |= 1L << id;
      String value = value(packet.typeOf(id), id, props);
      lines.add(String.format("%sproperty 0x%02X %s", prefix, id, value));
      int rank = id == PropertyRules.SUBSCRIPTION_IDENTIFIER ? Integer.parseInt(value) : i;
      order.add(new int[] {id, rank, lines.size() - 1});
    }
    order.sort(Comparator.<int[]>comparingInt(o -> o[0]).thenComparingInt(o -> o[1]));
    order.forEach(o -> expected.add(lines.get(o[2])));
    return props;
  }

  /** Adds property {@code id} of {@code type} with a valid value to {@code props}; returns the value as text. */
  private String value(PropertyRules.Type type, int id, RawProperties props) {
    switch (type) {
      case BYTE -> {
        int v = next() & 1;
        props.byteValue(id, v);
        return String.valueOf(v);
      }
      case TWO_BYTES -> {
        int v = Math.max(1, twoBytes());
        props.twoByte(id, v);
        return String.valueOf(v);
      }
      case FOUR_BYTES -> {
        int v = Math.max(1, twoBytes() << 15 ^ twoBytes());
        props.fourByte(id, v);
        return String.valueOf(v);
      }
      case VARIABLE_INT -> {
        int small = next();
        int v = small < 128 ? Math.max(1, small) : 1 + (twoBytes() << 12 ^ twoBytes()) % 268_435_455;
        props.varint(id, v);
        return String.valueOf(v);
      }
      case STRING -> {
        String v = text(Integer.MAX_VALUE);
        props.utf8(id, v);
        return v;
      }
      case BINARY -> {
        String v = text(Integer.MAX_VALUE);
        props.binary(id, v.getBytes(StandardCharsets.US_ASCII));
        return v;
      }
      default -> {
        String name = text(Integer.MAX_VALUE);
        String v = text(Integer.MAX_VALUE);
        props.pair(id, name, v);
        return name + "=" + v;
      }
    }
  }

  private int[] reasonCodes(int[] choices) {
    int[] codes = new int[1 + next() % 4];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = pick(choices);
      expected.add("reason " + codes[i]);
    }
    return codes;
  }

  private void expect(String... lines) {
    expected.addAll(List.of(lines));
  }

  private int next() {
    return pos < data.length ? data[pos++] & 0xFF : 0;
  }

  private int twoBytes() {
    return next() << 8 | next();
  }

  private int packetId() {
    return Math.max(1, twoBytes());
  }

  private int pick(int[] choices) {
    return choices[next() % choices.length];
  }

  /** Letters, at most {@code max} of them. */
  private String text(int max) {
    int length = next();
    if (length >= 240) {
      length = (length - 240) * 1100;
    }
    int first = next();
    StringBuilder s = new StringBuilder(Math.min(length, max));
    for (int i = 0; i < Math.min(length, max); i++) {
      s.append((char) ('a' + (first + i) % 26));
    }
    return s.toString();
  }
}
