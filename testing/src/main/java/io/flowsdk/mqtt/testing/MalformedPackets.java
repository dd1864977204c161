package io.flowsdk.mqtt.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.netty.handler.codec.mqtt.MqttMessageType.CONNACK;
import static io.netty.handler.codec.mqtt.MqttMessageType.SUBACK;

/**
 * Named violations of the MQTT 3.1.1 and 5.0 specifications (OASIS Standard, 29 October 2014 and 7 March 2019),
 * each with the normative statement it breaks and the response the specification requires. Statements are cited by
 * their {@code MQTT-x.y.z-n} number; rules the specification states without a number by their section.
 *
 * <p>In 3.1.1 a protocol violation closes the connection (MQTT-4.8.0-1). In 5.0 a Malformed Packet or Protocol
 * Error closes it too (MQTT-4.13.1-1), after an optional CONNACK (during CONNECT) or DISCONNECT with the reason code
 * given: 0x81 Malformed Packet, 0x82 Protocol Error, or the specific code listed.
 */
public final class MalformedPackets {

  private static final int MALFORMED = 0x81;
  private static final int PROTOCOL_ERROR = 0x82;
  private static final byte[] ILL_FORMED_UTF8 = {'a', (byte) 0xC0, (byte) 0xAF};
  private static final byte[] NULL_CHARACTER = {'a', 0, 'b'};
  private static final List<ViolationCase> ALL = Collections.unmodifiableList(build());

  private MalformedPackets() {
  }

  /** Every case, 3.1.1 first, in a stable order. */
  public static List<ViolationCase> all() {
    return ALL;
  }

  /** The case named {@code name}; fails with {@link IllegalArgumentException} if there is none. */
  public static ViolationCase named(String name) {
    return ALL.stream().filter(c -> c.name().equals(name)).findFirst()
      .orElseThrow(() -> new IllegalArgumentException("no violation case named " + name));
  }

  private static List<ViolationCase> build() {
    List<ViolationCase> c = new ArrayList<>();
    PacketFactory v3 = RawPacket.v311();
    PacketFactory v5 = RawPacket.v5();
    Expected close = Expected.close();
    Expected malformed = Expected.close(MALFORMED);
    Expected protocolError = Expected.close(PROTOCOL_ERROR);
    Expected malformedOrError = Expected.close(MALFORMED, PROTOCOL_ERROR);

    // MQTT 3.1.1: every violation closes the connection (MQTT-4.8.0-1) unless a return code is required
    c.add(before(false, "v311-first-packet-not-connect", "MQTT-3.1.0-1", "the first packet from a client must be CONNECT",
      close, v3.pingreq().build()));
    c.add(after(false, "v311-second-connect", "MQTT-3.1.0-2", "a second CONNECT is a protocol violation",
      close, v3.connect().clientId("second").build()));
    c.add(before(false, "v311-unsupported-protocol-level", "MQTT-3.1.2-2",
      "an unsupported protocol level is answered with return code 0x01, then the connection is closed",
      Expected.replyThenClose(CONNACK, 0x01), v3.connect().protocolLevel(7).build()));
    c.add(before(false, "v311-connect-reserved-flag", "MQTT-3.1.2-3", "the reserved CONNECT flag must be 0",
      close, v3.connect().reservedFlag(true).build()));
    c.add(before(false, "v311-will-qos-without-will", "MQTT-3.1.2-13", "without the Will Flag the Will QoS must be 0",
      close, v3.connect().connectFlags(0x02 | 0x08).build()));
    c.add(before(false, "v311-will-qos-3", "MQTT-3.1.2-14", "the Will QoS must not be 3",
      close, v3.connect().will("w", "x", 3, false).build()));
    c.add(before(false, "v311-will-retain-without-will", "MQTT-3.1.2-15", "without the Will Flag Will Retain must be 0",
      close, v3.connect().connectFlags(0x02 | 0x20).build()));
    c.add(before(false, "v311-password-without-username", "MQTT-3.1.2-22", "without the User Name Flag the Password Flag must be 0",
      close, v3.connect().password(new byte[] {'p'}).build()));
    c.add(before(false, "v311-username-flag-without-username", "MQTT-3.1.2-19", "with the User Name Flag a user name must be in the payload",
      close, v3.connect().connectFlags(0x82).build()));
    c.add(before(false, "v311-empty-client-id-without-clean-session", "MQTT-3.1.3-8",
      "a zero-byte client id with CleanSession 0 is answered with return code 0x02, then the connection is closed",
      Expected.replyThenClose(CONNACK, 0x02), v3.connect().clientId("").cleanStart(false).build()));
    c.add(before(false, "v311-client-id-ill-formed-utf8", "MQTT-1.5.3-1", "ill-formed UTF-8 closes the connection",
      close, v3.connect().clientId(ILL_FORMED_UTF8).build()));
    c.add(after(false, "v311-topic-null-character", "MQTT-1.5.3-2", "a UTF-8 string must not contain U+0000",
      close, v3.publish().topic(NULL_CHARACTER).build()));
    c.add(after(false, "v311-topic-ill-formed-utf8", "MQTT-1.5.3-1", "ill-formed UTF-8 closes the connection",
      close, v3.publish().topic(ILL_FORMED_UTF8).build()));
    c.add(after(false, "v311-publish-qos-3", "MQTT-3.3.1-4", "a PUBLISH with both QoS bits set closes the connection",
      close, v3.publish().qos(3).packetId(1).build()));
    c.add(after(false, "v311-publish-wildcard-topic", "MQTT-3.3.2-2", "a Topic Name must not contain wildcards",
      close, v3.publish().topic("a/+").build()));
    c.add(after(false, "v311-publish-empty-topic", "MQTT-4.7.3-1", "a Topic Name must be at least one character long",
      close, v3.publish().topic("").build()));
    c.add(after(false, "v311-publish-packet-id-zero", "MQTT-2.3.1-1", "a QoS 1 or 2 PUBLISH needs a non-zero packet identifier",
      close, v3.publish().qos(1).packetId(0).build()));
    c.add(after(false, "v311-pubrel-wrong-flags", "MQTT-3.6.1-1", "PUBREL's fixed header flags must be 0010",
      close, v3.pubrel().flags(0).build()));
    c.add(after(false, "v311-subscribe-wrong-flags", "MQTT-3.8.1-1", "SUBSCRIBE's fixed header flags must be 0010",
      close, v3.subscribe().filter("a", 0).flags(0).build()));
    c.add(after(false, "v311-subscribe-packet-id-zero", "MQTT-2.3.1-1", "SUBSCRIBE needs a non-zero packet identifier",
      close, v3.subscribe().packetId(0).filter("a", 0).build()));
    c.add(after(false, "v311-subscribe-no-filter", "MQTT-3.8.3-3", "a SUBSCRIBE must hold at least one topic filter",
      close, v3.subscribe().build()));
    c.add(after(false, "v311-subscribe-reserved-option-bits", "MQTT-3.8.3-4", "the reserved bits of a requested QoS byte must be 0",
      close, v3.subscribe().filter("a", 0x04).build()));
    c.add(after(false, "v311-subscribe-qos-3", "MQTT-3.8.3-4", "a requested QoS must be 0, 1 or 2",
      close, v3.subscribe().filter("a", 3).build()));
    c.add(after(false, "v311-subscribe-hash-not-last", "MQTT-4.7.1-2", "'#' must be the last character of a filter",
      close.or(Expected.reply(SUBACK, 0x80)), v3.subscribe().filter("a/#/b", 0).build()));
    c.add(after(false, "v311-subscribe-plus-within-level", "MQTT-4.7.1-3", "'+' must occupy a whole level",
      close.or(Expected.reply(SUBACK, 0x80)), v3.subscribe().filter("a+/b", 0).build()));
    c.add(after(false, "v311-unsubscribe-wrong-flags", "MQTT-3.10.1-1", "UNSUBSCRIBE's fixed header flags must be 0010",
      close, v3.unsubscribe().filter("a").flags(0).build()));
    c.add(after(false, "v311-unsubscribe-no-filter", "MQTT-3.10.3-2", "an UNSUBSCRIBE must hold at least one topic filter",
      close, v3.unsubscribe().build()));
    c.add(after(false, "v311-pingreq-wrong-flags", "MQTT-2.2.2-2", "invalid fixed header flags close the connection",
      close, v3.pingreq().flags(1).build()));
    c.add(after(false, "v311-disconnect-wrong-flags", "MQTT-3.14.1-1", "DISCONNECT's reserved bits must be 0",
      close, v3.disconnect().flags(2).build()));
    c.add(after(false, "v311-reserved-packet-type-0", "MQTT-4.8.0-1", "packet type 0 is reserved (2.2.1)",
      close, v3.pingreq().typeNibble(0).build()));
    c.add(after(false, "v311-reserved-packet-type-15", "MQTT-4.8.0-1", "packet type 15 is reserved in 3.1.1 (2.2.1)",
      close, v3.auth().build()));
    c.add(after(false, "v311-connack-from-client", "MQTT-4.8.0-1", "CONNACK flows from server to client only (2.2.1)",
      close, v3.connack().build()));
    c.add(after(false, "v311-remaining-length-five-bytes", "MQTT-4.8.0-1", "the remaining length takes at most four bytes (2.2.3)",
      close, v3.pingreq().remainingLengthBytes((byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x01).build()));
    c.add(before(false, "v311-connect-remaining-length-too-short", "MQTT-4.8.0-1", "a CONNECT cut short by its remaining length",
      close, v3.connect().remainingLength(8).build()));

    // MQTT 5.0: close, after an optional CONNACK or DISCONNECT with the reason code (MQTT-4.13.1-1)
    c.add(before(true, "v5-first-packet-not-connect", "MQTT-3.1.0-1", "the first packet from a client must be CONNECT",
      protocolError, v5.pingreq().build()));
    c.add(after(true, "v5-second-connect", "MQTT-3.1.0-2", "a second CONNECT is a Protocol Error",
      protocolError, v5.connect().clientId("second").build()));
    c.add(before(true, "v5-connect-reserved-flag", "MQTT-3.1.2-3", "the reserved CONNECT flag must be 0 (Malformed Packet)",
      malformed, v5.connect().reservedFlag(true).build()));
    c.add(before(true, "v5-will-qos-without-will", "MQTT-3.1.2-11", "without the Will Flag the Will QoS must be 0",
      malformedOrError, v5.connect().connectFlags(0x02 | 0x10).build()));
    c.add(before(true, "v5-will-qos-3", "MQTT-3.1.2-12", "a Will QoS of 3 is a Malformed Packet",
      malformed, v5.connect().will("w", "x", 3, false).build()));
    c.add(before(true, "v5-will-retain-without-will", "MQTT-3.1.2-13", "without the Will Flag Will Retain must be 0",
      malformedOrError, v5.connect().connectFlags(0x02 | 0x20).build()));
    c.add(before(true, "v5-username-flag-without-username", "MQTT-3.1.2-17", "with the User Name Flag a user name must be in the payload",
      malformed, v5.connect().connectFlags(0x82).build()));
    c.add(before(true, "v5-client-id-ill-formed-utf8", "MQTT-1.5.4-1", "ill-formed UTF-8 is a Malformed Packet",
      Expected.close(MALFORMED, 0x85), v5.connect().clientId(ILL_FORMED_UTF8).build()));
    c.add(before(true, "v5-duplicate-session-expiry", "3.1.2.11.2", "Session Expiry Interval more than once is a Protocol Error",
      protocolError, v5.connect().properties(RawProperties.create().sessionExpiryInterval(1).sessionExpiryInterval(2)).build()));
    c.add(before(true, "v5-receive-maximum-zero", "3.1.2.11.3", "a Receive Maximum of 0 is a Protocol Error",
      protocolError, v5.connect().properties(RawProperties.create().receiveMaximum(0)).build()));
    c.add(before(true, "v5-maximum-packet-size-zero", "3.1.2.11.4", "a Maximum Packet Size of 0 is a Protocol Error",
      protocolError, v5.connect().properties(RawProperties.create().maximumPacketSize(0)).build()));
    c.add(before(true, "v5-request-problem-information-2", "3.1.2.11.7", "Request Problem Information other than 0 or 1 is a Protocol Error",
      protocolError, v5.connect().properties(RawProperties.create().requestProblemInformation(2)).build()));
    c.add(before(true, "v5-connect-unknown-property", "2.2.2.2", "0x7F is no property identifier",
      malformedOrError, v5.connect().properties(RawProperties.create().add(0x7F, new byte[] {1})).build()));
    c.add(before(true, "v5-connect-property-of-other-packet", "2.2.2.2", "Topic Alias is not a CONNECT property",
      malformedOrError, v5.connect().properties(RawProperties.create().topicAlias(1)).build()));
    c.add(before(true, "v5-property-length-beyond-packet", "MQTT-4.13.1-1", "a property length longer than the packet",
      malformed, v5.connect().properties(RawProperties.create().length(50)).build()));
    c.add(after(true, "v5-topic-ill-formed-utf8", "MQTT-1.5.4-1", "ill-formed UTF-8 is a Malformed Packet",
      malformed, v5.publish().topic(ILL_FORMED_UTF8).build()));
    c.add(after(true, "v5-topic-null-character", "MQTT-1.5.4-2", "a UTF-8 string must not contain U+0000",
      malformed, v5.publish().topic(NULL_CHARACTER).build()));
    c.add(after(true, "v5-publish-qos-3", "MQTT-3.3.1-4", "a PUBLISH with both QoS bits set is a Malformed Packet",
      malformed, v5.publish().qos(3).packetId(1).build()));
    c.add(after(true, "v5-publish-wildcard-topic", "MQTT-3.3.2-2", "a Topic Name must not contain wildcards",
      Expected.close(MALFORMED, PROTOCOL_ERROR, 0x90), v5.publish().topic("a/#").build()));
    c.add(after(true, "v5-publish-packet-id-zero", "MQTT-2.2.1-3", "a QoS 1 or 2 PUBLISH needs a non-zero packet identifier",
      malformedOrError, v5.publish().qos(1).packetId(0).build()));
    c.add(after(true, "v5-topic-alias-zero", "MQTT-3.3.2-8", "a Topic Alias of 0 is a Protocol Error (0x94)",
      Expected.close(PROTOCOL_ERROR, 0x94), v5.publish().topic("a").properties(RawProperties.create().topicAlias(0)).build()));
    c.add(after(true, "v5-topic-alias-above-maximum", "MQTT-3.3.2-9", "a Topic Alias above the server's Topic Alias Maximum (0x94)",
      Expected.close(PROTOCOL_ERROR, 0x94), v5.publish().topic("a").properties(RawProperties.create().topicAlias(65535)).build()));
    c.add(after(true, "v5-empty-topic-without-alias", "3.3.2.3.4", "an empty Topic Name without a known Topic Alias is a Protocol Error",
      protocolError, v5.publish().topic("").build()));
    c.add(after(true, "v5-publish-subscription-identifier", "MQTT-3.3.4-6", "a client's PUBLISH must not contain a Subscription Identifier",
      protocolError, v5.publish().topic("a").properties(RawProperties.create().subscriptionIdentifier(1)).build()));
    c.add(after(true, "v5-publish-duplicate-topic-alias", "2.2.2.2", "a property other than User Property twice is a Protocol Error",
      protocolError, v5.publish().topic("a").properties(RawProperties.create().topicAlias(1).topicAlias(2)).build()));
    c.add(after(true, "v5-pubrel-wrong-flags", "MQTT-3.6.1-1", "PUBREL's fixed header flags must be 0010 (Malformed Packet)",
      malformed, v5.pubrel().flags(0).build()));
    c.add(after(true, "v5-subscribe-wrong-flags", "MQTT-3.8.1-1", "SUBSCRIBE's fixed header flags must be 0010 (Malformed Packet)",
      malformed, v5.subscribe().filter("a", 0).flags(0).build()));
    c.add(after(true, "v5-subscribe-no-filter", "MQTT-3.8.3-2", "a SUBSCRIBE must hold at least one topic filter",
      malformedOrError, v5.subscribe().build()));
    c.add(after(true, "v5-subscribe-reserved-option-bits", "MQTT-3.8.3-5", "the reserved bits of Subscription Options must be 0",
      malformed, v5.subscribe().filter("a", 0x40).build()));
    c.add(after(true, "v5-subscribe-qos-3", "3.8.3.1", "a Maximum QoS of 3 in Subscription Options is a Protocol Error",
      malformedOrError, v5.subscribe().filter("a", 3).build()));
    c.add(after(true, "v5-subscribe-retain-handling-3", "3.8.3.1", "a Retain Handling of 3 is a Protocol Error",
      malformedOrError, v5.subscribe().filter("a", 3 << 4).build()));
    c.add(after(true, "v5-shared-subscription-no-local", "MQTT-3.8.3-4", "No Local on a shared subscription is a Protocol Error",
      protocolError, v5.subscribe().filter("$share/g/a", 1 << 2).build()));
    c.add(after(true, "v5-subscription-identifier-zero", "3.8.2.1.2", "a Subscription Identifier of 0 is a Protocol Error",
      protocolError, v5.subscribe().properties(RawProperties.create().subscriptionIdentifier(0)).filter("a", 0).build()));
    c.add(after(true, "v5-subscribe-hash-not-last", "MQTT-4.7.1-1", "'#' must be the last character of a filter (0x8F)",
      Expected.close(MALFORMED, PROTOCOL_ERROR, 0x8F).or(Expected.reply(SUBACK, 0x8F)), v5.subscribe().filter("a/#/b", 0).build()));
    c.add(after(true, "v5-subscribe-empty-filter", "MQTT-4.7.3-1", "a Topic Filter must be at least one character long (0x8F)",
      Expected.close(MALFORMED, PROTOCOL_ERROR, 0x8F).or(Expected.reply(SUBACK, 0x8F)), v5.subscribe().filter("", 0).build()));
    c.add(after(true, "v5-unsubscribe-wrong-flags", "MQTT-3.10.1-1", "UNSUBSCRIBE's fixed header flags must be 0010 (Malformed Packet)",
      malformed, v5.unsubscribe().filter("a").flags(0).build()));
    c.add(after(true, "v5-unsubscribe-no-filter", "MQTT-3.10.3-2", "an UNSUBSCRIBE must hold at least one topic filter",
      malformedOrError, v5.unsubscribe().build()));
    c.add(after(true, "v5-pingreq-wrong-flags", "MQTT-2.1.3-1", "invalid fixed header flags are a Malformed Packet",
      malformed, v5.pingreq().flags(1).build()));
    c.add(after(true, "v5-disconnect-wrong-flags", "MQTT-3.14.1-1", "DISCONNECT's reserved bits must be 0 (0x81)",
      malformed, v5.disconnect().flags(2).build()));
    c.add(after(true, "v5-reserved-packet-type-0", "MQTT-4.13.1-1", "packet type 0 is forbidden (2.1.2)",
      malformedOrError, v5.pingreq().typeNibble(0).build()));
    c.add(after(true, "v5-connack-from-client", "MQTT-4.13.1-1", "CONNACK flows from server to client only (2.1.2)",
      malformedOrError, v5.connack().build()));
    c.add(after(true, "v5-auth-without-authentication-method", "4.12", "AUTH without an Authentication Method in CONNECT is a Protocol Error",
      protocolError, v5.auth().reasonCode(0x18).build()));
    c.add(after(true, "v5-remaining-length-not-minimal", "MQTT-1.5.5-1", "a Variable Byte Integer must use the fewest bytes",
      malformed, v5.pingreq().remainingLengthBytes((byte) 0x80, (byte) 0x00).build()));
    c.add(after(true, "v5-variable-byte-integer-not-minimal", "MQTT-1.5.5-1", "a Subscription Identifier of 1 in two bytes (0x81 0x00)",
      malformed, v5.subscribe().properties(RawProperties.create().add(0x0B, new byte[] {(byte) 0x81, 0x00})).filter("a", 0).build()));
    c.add(after(true, "v5-remaining-length-five-bytes", "MQTT-4.13.1-1", "a Variable Byte Integer takes at most four bytes (1.5.5)",
      malformed, v5.pingreq().remainingLengthBytes((byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x01).build()));
    return c;
  }

  private static ViolationCase before(boolean v5, String name, String statement, String rule, Expected expected, RawPacket packet) {
    return new ViolationCase(name, statement, rule, v5, false, List.of(packet), expected);
  }

  private static ViolationCase after(boolean v5, String name, String statement, String rule, Expected expected, RawPacket packet) {
    return new ViolationCase(name, statement, rule, v5, true, List.of(packet), expected);
  }
}
