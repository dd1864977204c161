package io.flowsdk.mqtt.broker.impl;

/** What a session sends to its connected client; tests record it instead of writing a socket. */
interface ClientLink {

  /** True for an MQTT 5 client (properties go on the wire). */
  boolean mqtt5();

  /** Whether the client may be sent a message on {@code topic} (the ACL's RECEIVE). */
  boolean mayReceive(String topic);

  void publish(OutgoingPublish publish);

  void pubrel(int packetId);

  /** Whether the connection's write queue has room (false: wait for {@link OutboundFlow#writable}). */
  boolean writable();
}
