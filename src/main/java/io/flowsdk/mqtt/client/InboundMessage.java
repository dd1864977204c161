package io.flowsdk.mqtt.client;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.PayloadFormat;
import io.flowsdk.bus.QoS;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A PUBLISH received from the broker, with every MQTT 5 property. A topic alias is already resolved:
 * {@link #topic()} is always the full topic name.
 *
 * @param topic                   the topic name
 * @param payload                 the payload (possibly empty)
 * @param qos                     the QoS it was delivered with
 * @param retain                  whether it is a retained message (or Retain As Published kept the flag)
 * @param duplicate               the DUP flag: the broker may have sent it before
 * @param messageExpirySeconds    the remaining message expiry in seconds, or -1 when none
 * @param contentType             the content type, or null
 * @param responseTopic           the response topic of a request, or null
 * @param correlationData         the correlation data of a request, or null
 * @param payloadFormat           the payload format indicator
 * @param userProperties          the user properties in order
 * @param subscriptionIdentifiers the identifiers of the subscriptions that matched (empty when none were set)
 */
public record InboundMessage(String topic, Buffer payload, QoS qos, boolean retain, boolean duplicate,
                             long messageExpirySeconds, String contentType, String responseTopic,
                             Buffer correlationData, PayloadFormat payloadFormat, List<FlowHeader> userProperties,
                             List<Integer> subscriptionIdentifiers) {
}
