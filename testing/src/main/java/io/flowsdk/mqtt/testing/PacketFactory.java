package io.flowsdk.mqtt.testing;

/** Builders of every packet type, for one protocol version ({@link RawPacket#v5()} or {@link RawPacket#v311()}). */
public final class PacketFactory {

  private final boolean v5;

  PacketFactory(boolean v5) {
    this.v5 = v5;
  }

  public boolean isV5() {
    return v5;
  }

  public ConnectBuilder connect() {
    return new ConnectBuilder(v5);
  }

  public ConnAckBuilder connack() {
    return new ConnAckBuilder(v5);
  }

  public PublishBuilder publish() {
    return new PublishBuilder(v5);
  }

  public AckBuilder puback() {
    return new AckBuilder(PacketType.PUBACK, v5);
  }

  public AckBuilder pubrec() {
    return new AckBuilder(PacketType.PUBREC, v5);
  }

  public AckBuilder pubrel() {
    return new AckBuilder(PacketType.PUBREL, v5);
  }

  public AckBuilder pubcomp() {
    return new AckBuilder(PacketType.PUBCOMP, v5);
  }

  public SubscribeBuilder subscribe() {
    return new SubscribeBuilder(v5);
  }

  public SubAckBuilder suback() {
    return new SubAckBuilder(PacketType.SUBACK, v5);
  }

  public UnsubscribeBuilder unsubscribe() {
    return new UnsubscribeBuilder(v5);
  }

  /** UNSUBACK: reason codes are written only when given (MQTT 3.1.1 has none). */
  public SubAckBuilder unsuback() {
    return new SubAckBuilder(PacketType.UNSUBACK, v5);
  }

  public EmptyBuilder pingreq() {
    return new EmptyBuilder(PacketType.PINGREQ, v5);
  }

  public EmptyBuilder pingresp() {
    return new EmptyBuilder(PacketType.PINGRESP, v5);
  }

  public ReasonBuilder disconnect() {
    return new ReasonBuilder(PacketType.DISCONNECT, v5);
  }

  /** AUTH exists only in MQTT 5.0; built from a 3.1.1 factory it is a forbidden packet type for 3.1.1. */
  public ReasonBuilder auth() {
    return new ReasonBuilder(PacketType.AUTH, v5);
  }
}
