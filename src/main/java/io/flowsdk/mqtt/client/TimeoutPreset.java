package io.flowsdk.mqtt.client;

/**
 * Timeouts that fit a kind of network. Applying a preset sets the connect, acknowledgement and
 * ping timeouts of {@link MqttClientOptions}; each can still be set by hand afterwards.
 */
public enum TimeoutPreset {
  /** Same host or LAN: 5 s to connect, 3 s for an acknowledgement, 2 s for a PINGRESP. */
  LOCAL(5_000, 3_000, 2_000),
  /** Public internet: 30 s to connect, 10 s for an acknowledgement, 5 s for a PINGRESP. */
  INTERNET(30_000, 10_000, 5_000),
  /** Satellite or other long, lossy links: 120 s, 60 s and 30 s. */
  SATELLITE(120_000, 60_000, 30_000);

  private final long connectTimeoutMillis;
  private final long ackTimeoutMillis;
  private final long pingTimeoutMillis;

  TimeoutPreset(long connectTimeoutMillis, long ackTimeoutMillis, long pingTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.pingTimeoutMillis = pingTimeoutMillis;
  }

  /** Time from opening the socket to a CONNACK (including an enhanced-auth exchange). */
  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /** Time for a PUBACK/PUBCOMP, SUBACK or UNSUBACK. */
  public long ackTimeoutMillis() {
    return ackTimeoutMillis;
  }

  /** Time for a PINGRESP before the connection is declared dead. */
  public long pingTimeoutMillis() {
    return pingTimeoutMillis;
  }
}
