package io.flowsdk.mqtt.protocol;

/**
 * Which MQTT 5 property may appear in which packet, and how its value is encoded (MQTT 5.0, 2.2.2.2). Netty's
 * decoder reads any known property in any packet and keeps the last of two; the specification calls the first a
 * Malformed Packet and the second, for every property but User Property (and Subscription Identifier in a
 * PUBLISH), a Protocol Error.
 */
public enum PropertyRules {
  CONNECT, WILL, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK,
  DISCONNECT, AUTH;

  /** How a property's value is encoded. */
  enum Type { BYTE, TWO_BYTES, FOUR_BYTES, VARIABLE_INT, STRING, BINARY, STRING_PAIR }

  public static final int USER_PROPERTY = 0x26;
  public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
  public static final int AUTHENTICATION_METHOD = 0x15;

  private static final Type[] TYPES = new Type[0x2B];
  /** Per property identifier, the packets it may appear in, one bit per {@link #ordinal()}. */
  private static final int[] ALLOWED = new int[0x2B];

  static {
    define(0x01, Type.BYTE, WILL, PUBLISH);                                  // Payload Format Indicator
    define(0x02, Type.FOUR_BYTES, WILL, PUBLISH);                            // Message Expiry Interval
    define(0x03, Type.STRING, WILL, PUBLISH);                                // Content Type
    define(0x08, Type.STRING, WILL, PUBLISH);                                // Response Topic
    define(0x09, Type.BINARY, WILL, PUBLISH);                                // Correlation Data
    define(SUBSCRIPTION_IDENTIFIER, Type.VARIABLE_INT, PUBLISH, SUBSCRIBE);
    define(0x11, Type.FOUR_BYTES, CONNECT, CONNACK, DISCONNECT);             // Session Expiry Interval
    define(0x12, Type.STRING, CONNACK);                                      // Assigned Client Identifier
    define(0x13, Type.TWO_BYTES, CONNACK);                                   // Server Keep Alive
    define(AUTHENTICATION_METHOD, Type.STRING, CONNECT, CONNACK, AUTH);
    define(0x16, Type.BINARY, CONNECT, CONNACK, AUTH);                       // Authentication Data
    define(0x17, Type.BYTE, CONNECT);                                        // Request Problem Information
    define(0x18, Type.FOUR_BYTES, WILL);                                     // Will Delay Interval
    define(0x19, Type.BYTE, CONNECT);                                        // Request Response Information
    define(0x1A, Type.STRING, CONNACK);                                      // Response Information
    define(0x1C, Type.STRING, CONNACK, DISCONNECT);                          // Server Reference
    define(0x1F, Type.STRING, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH); // Reason String
    define(0x21, Type.TWO_BYTES, CONNECT, CONNACK);                          // Receive Maximum
    define(0x22, Type.TWO_BYTES, CONNECT, CONNACK);                          // Topic Alias Maximum
    define(0x23, Type.TWO_BYTES, PUBLISH);                                   // Topic Alias
    define(0x24, Type.BYTE, CONNACK);                                        // Maximum QoS
    define(0x25, Type.BYTE, CONNACK);                                        // Retain Available
    define(USER_PROPERTY, Type.STRING_PAIR, values());
    define(0x27, Type.FOUR_BYTES, CONNECT, CONNACK);                         // Maximum Packet Size
    define(0x28, Type.BYTE, CONNACK);                                        // Wildcard Subscription Available
    define(0x29, Type.BYTE, CONNACK);                                        // Subscription Identifier Available
    define(0x2A, Type.BYTE, CONNACK);                                        // Shared Subscription Available
  }

  private static void define(int id, Type type, PropertyRules... packets) {
    TYPES[id] = type;
    for (PropertyRules p : packets) {
      ALLOWED[id] |= 1 << p.ordinal();
    }
  }

  /** The encoding of property {@code id} in whatever packet, else null (no such property). */
  static Type typeInAnyPacket(int id) {
    return id < TYPES.length ? TYPES[id] : null;
  }

  /** The encoding of property {@code id} if this packet may carry it, else null. */
  Type typeOf(int id) {
    return id < TYPES.length && (ALLOWED[id] & (1 << ordinal())) != 0 ? TYPES[id] : null;
  }

  /** Whether property {@code id} may appear more than once in this packet. */
  boolean mayRepeat(int id) {
    return id == USER_PROPERTY || id == SUBSCRIPTION_IDENTIFIER && this == PUBLISH;
  }
}
