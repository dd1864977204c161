package io.flowsdk.mqtt.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The property block of an MQTT 5.0 packet, written in the order given: duplicates, unknown identifiers,
 * properties on the wrong packet, out-of-range values and a wrong property length are all allowed.
 * A fresh instance encodes as an empty block (a single 0 byte).
 */
public final class RawProperties {

  public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
  public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
  public static final int CONTENT_TYPE = 0x03;
  public static final int RESPONSE_TOPIC = 0x08;
  public static final int CORRELATION_DATA = 0x09;
  public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
  public static final int SESSION_EXPIRY_INTERVAL = 0x11;
  public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
  public static final int SERVER_KEEP_ALIVE = 0x13;
  public static final int AUTHENTICATION_METHOD = 0x15;
  public static final int AUTHENTICATION_DATA = 0x16;
  public static final int REQUEST_PROBLEM_INFORMATION = 0x17;
  public static final int WILL_DELAY_INTERVAL = 0x18;
  public static final int REQUEST_RESPONSE_INFORMATION = 0x19;
  public static final int RESPONSE_INFORMATION = 0x1A;
  public static final int SERVER_REFERENCE = 0x1C;
  public static final int REASON_STRING = 0x1F;
  public static final int RECEIVE_MAXIMUM = 0x21;
  public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
  public static final int TOPIC_ALIAS = 0x23;
  public static final int MAXIMUM_QOS = 0x24;
  public static final int RETAIN_AVAILABLE = 0x25;
  public static final int USER_PROPERTY = 0x26;
  public static final int MAXIMUM_PACKET_SIZE = 0x27;
  public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
  public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
  public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

  private final List<byte[]> entries = new ArrayList<>();
  private Long lengthOverride;

  public static RawProperties create() {
    return new RawProperties();
  }

  /** A one-byte property (identifier, then the value's low 8 bits). */
  public RawProperties byteValue(int id, int value) {
    return add(id, new RawWriter().u8(value).toBytes());
  }

  /** A two-byte integer property. */
  public RawProperties twoByte(int id, int value) {
    return add(id, new RawWriter().u16(value).toBytes());
  }

  /** A four-byte integer property. */
  public RawProperties fourByte(int id, long value) {
    return add(id, new RawWriter().u32(value).toBytes());
  }

  /** A variable byte integer property (values above 268,435,455 give an invalid five-byte integer). */
  public RawProperties varint(int id, long value) {
    return add(id, RawWriter.varintBytes(value));
  }

  /** A UTF-8 string property. */
  public RawProperties utf8(int id, String value) {
    return utf8(id, RawWriter.utf8(value));
  }

  /** A UTF-8 string property whose bytes are given as is (ill-formed UTF-8, U+0000, surrogates). */
  public RawProperties utf8(int id, byte[] value) {
    return add(id, new RawWriter().prefixed(value).toBytes());
  }

  /** A binary data property. */
  public RawProperties binary(int id, byte[] value) {
    return add(id, new RawWriter().prefixed(value).toBytes());
  }

  /** A UTF-8 string pair property. */
  public RawProperties pair(int id, String name, String value) {
    return add(id, new RawWriter().prefixed(RawWriter.utf8(name)).prefixed(RawWriter.utf8(value)).toBytes());
  }

  /** Any identifier followed by any bytes: unknown properties, or a value cut short. */
  public RawProperties add(int id, byte[] encodedValue) {
    entries.add(new RawWriter().varint(id).bytes(encodedValue).toBytes());
    return this;
  }

  /** Writes {@code length} as the property length instead of the real one. */
  public RawProperties length(long length) {
    lengthOverride = length;
    return this;
  }

  public RawProperties payloadFormatIndicator(int v) {
    return byteValue(PAYLOAD_FORMAT_INDICATOR, v);
  }

  public RawProperties messageExpiryInterval(long seconds) {
    return fourByte(MESSAGE_EXPIRY_INTERVAL, seconds);
  }

  public RawProperties contentType(String v) {
    return utf8(CONTENT_TYPE, v);
  }

  public RawProperties responseTopic(String v) {
    return utf8(RESPONSE_TOPIC, v);
  }

  public RawProperties correlationData(byte[] v) {
    return binary(CORRELATION_DATA, v);
  }

  public RawProperties subscriptionIdentifier(long v) {
    return varint(SUBSCRIPTION_IDENTIFIER, v);
  }

  public RawProperties sessionExpiryInterval(long seconds) {
    return fourByte(SESSION_EXPIRY_INTERVAL, seconds);
  }

  public RawProperties assignedClientIdentifier(String v) {
    return utf8(ASSIGNED_CLIENT_IDENTIFIER, v);
  }

  public RawProperties serverKeepAlive(int seconds) {
    return twoByte(SERVER_KEEP_ALIVE, seconds);
  }

  public RawProperties authenticationMethod(String v) {
    return utf8(AUTHENTICATION_METHOD, v);
  }

  public RawProperties authenticationData(byte[] v) {
    return binary(AUTHENTICATION_DATA, v);
  }

  public RawProperties requestProblemInformation(int v) {
    return byteValue(REQUEST_PROBLEM_INFORMATION, v);
  }

  public RawProperties willDelayInterval(long seconds) {
    return fourByte(WILL_DELAY_INTERVAL, seconds);
  }

  public RawProperties requestResponseInformation(int v) {
    return byteValue(REQUEST_RESPONSE_INFORMATION, v);
  }

  public RawProperties responseInformation(String v) {
    return utf8(RESPONSE_INFORMATION, v);
  }

  public RawProperties serverReference(String v) {
    return utf8(SERVER_REFERENCE, v);
  }

  public RawProperties reasonString(String v) {
    return utf8(REASON_STRING, v);
  }

  public RawProperties receiveMaximum(int v) {
    return twoByte(RECEIVE_MAXIMUM, v);
  }

  public RawProperties topicAliasMaximum(int v) {
    return twoByte(TOPIC_ALIAS_MAXIMUM, v);
  }

  public RawProperties topicAlias(int v) {
    return twoByte(TOPIC_ALIAS, v);
  }

  public RawProperties maximumQos(int v) {
    return byteValue(MAXIMUM_QOS, v);
  }

  public RawProperties retainAvailable(int v) {
    return byteValue(RETAIN_AVAILABLE, v);
  }

  public RawProperties userProperty(String name, String value) {
    return pair(USER_PROPERTY, name, value);
  }

  public RawProperties maximumPacketSize(long v) {
    return fourByte(MAXIMUM_PACKET_SIZE, v);
  }

  public RawProperties wildcardSubscriptionAvailable(int v) {
    return byteValue(WILDCARD_SUBSCRIPTION_AVAILABLE, v);
  }

  public RawProperties subscriptionIdentifierAvailable(int v) {
    return byteValue(SUBSCRIPTION_IDENTIFIER_AVAILABLE, v);
  }

  public RawProperties sharedSubscriptionAvailable(int v) {
    return byteValue(SHARED_SUBSCRIPTION_AVAILABLE, v);
  }

  /** The property length followed by the properties. */
  byte[] encode() {
    RawWriter body = new RawWriter();
    entries.forEach(body::bytes);
    byte[] bytes = body.toBytes();
    return new RawWriter().varint(lengthOverride != null ? lengthOverride : bytes.length).bytes(bytes).toBytes();
  }
}
