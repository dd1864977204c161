package io.flowsdk.mqtt.testing;

/** The MQTT control packet types, with the value of the fixed header's high nibble and the flags the specification requires. */
public enum PacketType {
  CONNECT(1, 0), CONNACK(2, 0), PUBLISH(3, 0), PUBACK(4, 0), PUBREC(5, 0), PUBREL(6, 2), PUBCOMP(7, 0),
  SUBSCRIBE(8, 2), SUBACK(9, 0), UNSUBSCRIBE(10, 2), UNSUBACK(11, 0), PINGREQ(12, 0), PINGRESP(13, 0),
  DISCONNECT(14, 0), AUTH(15, 0);

  private final int value;
  private final int requiredFlags;

  PacketType(int value, int requiredFlags) {
    this.value = value;
    this.requiredFlags = requiredFlags;
  }

  /** The high nibble of the first byte. */
  public int value() {
    return value;
  }

  /** The low nibble the specification requires (PUBLISH's flags are its DUP, QoS and RETAIN bits; 0 here). */
  public int requiredFlags() {
    return requiredFlags;
  }
}
