package io.flowsdk.mqtt.testing;

/**
 * CONNECT. The connect flags follow from the fields set (will, QoS, retain, user name, password, clean start) unless
 * {@link #connectFlags(int)} sets them; each payload field is written when it is set, whatever the flags say.
 * Defaults: protocol name "MQTT", level 5 or 4, clean start, keep alive 60, client id "raw".
 */
public final class ConnectBuilder extends PacketBuilder<ConnectBuilder> {

  private byte[] protocolName = RawWriter.utf8("MQTT");
  private int protocolLevel;
  private Integer connectFlags;
  private boolean cleanStart = true;
  private boolean reservedFlag;
  private int keepAlive = 60;
  private RawProperties properties = RawProperties.create();
  private byte[] clientId = RawWriter.utf8("raw");
  private RawProperties willProperties = RawProperties.create();
  private byte[] willTopic;
  private byte[] willPayload;
  private int willQos;
  private boolean willRetain;
  private byte[] username;
  private byte[] password;

  ConnectBuilder(boolean v5) {
    super(PacketType.CONNECT, v5);
    protocolLevel = v5 ? 5 : 4;
  }

  public ConnectBuilder protocolName(String name) {
    return protocolName(RawWriter.utf8(name));
  }

  public ConnectBuilder protocolName(byte[] rawUtf8) {
    protocolName = rawUtf8.clone();
    return this;
  }

  public ConnectBuilder protocolLevel(int level) {
    protocolLevel = level;
    return this;
  }

  /** Writes this byte as the connect flags instead of the one the fields call for. */
  public ConnectBuilder connectFlags(int flags) {
    connectFlags = flags;
    return this;
  }

  public ConnectBuilder cleanStart(boolean value) {
    cleanStart = value;
    return this;
  }

  /** Sets bit 0 of the connect flags, which MQTT reserves (it must be 0). */
  public ConnectBuilder reservedFlag(boolean value) {
    reservedFlag = value;
    return this;
  }

  public ConnectBuilder keepAlive(int seconds) {
    keepAlive = seconds;
    return this;
  }

  public ConnectBuilder properties(RawProperties value) {
    properties = value;
    return this;
  }

  public ConnectBuilder clientId(String id) {
    return clientId(RawWriter.utf8(id));
  }

  public ConnectBuilder clientId(byte[] rawUtf8) {
    clientId = rawUtf8.clone();
    return this;
  }

  public ConnectBuilder will(String topic, String payload, int qos, boolean retain) {
    return will(RawWriter.utf8(topic), RawWriter.utf8(payload), qos, retain);
  }

  public ConnectBuilder will(byte[] rawTopic, byte[] payload, int qos, boolean retain) {
    willTopic = rawTopic.clone();
    willPayload = payload.clone();
    willQos = qos;
    willRetain = retain;
    return this;
  }

  public ConnectBuilder willProperties(RawProperties value) {
    willProperties = value;
    return this;
  }

  public ConnectBuilder username(String value) {
    return username(RawWriter.utf8(value));
  }

  public ConnectBuilder username(byte[] rawUtf8) {
    username = rawUtf8.clone();
    return this;
  }

  public ConnectBuilder password(byte[] value) {
    password = value.clone();
    return this;
  }

  private int flagsFromFields() {
    int f = 0;
    if (username != null) {
      f |= 0x80;
    }
    if (password != null) {
      f |= 0x40;
    }
    if (willTopic != null) {
      f |= 0x04 | (willQos & 3) << 3 | (willRetain ? 0x20 : 0);
    }
    if (cleanStart) {
      f |= 0x02;
    }
    return reservedFlag ? f | 0x01 : f;
  }

  @Override
  void writeBody(RawWriter out) {
    out.prefixed(protocolName).u8(protocolLevel).u8(connectFlags != null ? connectFlags : flagsFromFields()).u16(keepAlive);
    if (v5) {
      out.bytes(properties.encode());
    }
    out.prefixed(clientId);
    if (willTopic != null) {
      if (v5) {
        out.bytes(willProperties.encode());
      }
      out.prefixed(willTopic).prefixed(willPayload);
    }
    if (username != null) {
      out.prefixed(username);
    }
    if (password != null) {
      out.prefixed(password);
    }
  }
}
