/**
 * The protocol-testing toolkit: build any MQTT 3.1.1 or 5.0 packet, valid or not ({@link io.flowsdk.mqtt.testing.RawPacket}),
 * send it to any server over a raw connection ({@link io.flowsdk.mqtt.testing.RawMqttClient}), run the named protocol
 * violations of {@link io.flowsdk.mqtt.testing.MalformedPackets} and report how a server answers them
 * ({@link io.flowsdk.mqtt.testing.ConformanceMain}).
 *
 * <p><b>Test-only.</b> Nothing here validates what it sends; it exists to send what a correct client never would.
 * It ships in its own jars ({@code flowsdk-vertx-mqtt-testing.jar}, runnable {@code flowsdk-mqtt-testing.jar}),
 * never in {@code flowsdk-vertx.jar}. It decodes what a server sends with our client's
 * {@link io.flowsdk.mqtt.protocol.PacketFramer}, which its jars carry with the few classes that framer needs, and
 * otherwise depends only on Vert.x core and Netty's MQTT codec.
 */
package io.flowsdk.mqtt.testing;
