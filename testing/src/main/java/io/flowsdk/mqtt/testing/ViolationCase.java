package io.flowsdk.mqtt.testing;

import java.util.List;

/**
 * One named protocol violation: what is sent, which normative statement of the MQTT 3.1.1 or 5.0 specification it
 * breaks, and what the specification requires the server to do about it.
 *
 * @param name         a stable name, e.g. {@code v5-publish-qos-3}
 * @param statement    the normative statement ({@code MQTT-3.3.1-4}) or, where the rule has no number, its section
 * @param rule         the rule in words
 * @param v5           whether the case speaks MQTT 5.0 (else 3.1.1)
 * @param afterConnect whether a valid CONNECT (and its successful CONNACK) comes first
 * @param packets      what is sent, in one write
 * @param expected     the server response the specification requires
 */
public record ViolationCase(String name, String statement, String rule, boolean v5, boolean afterConnect,
                            List<RawPacket> packets, Expected expected) {
}
