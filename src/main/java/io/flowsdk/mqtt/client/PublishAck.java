package io.flowsdk.mqtt.client;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.QoS;

import java.util.List;

/**
 * The outcome of a successful publish: for QoS 0 it is written to the socket, for QoS 1 the PUBACK
 * arrived, for QoS 2 the PUBCOMP arrived. A failure reason code fails the future with an
 * {@link MqttException} instead.
 *
 * @param qos            the QoS the message was sent with
 * @param reasonCode     the PUBACK, PUBREC (QoS 2: the code that reports delivery) or {@link PubAckReason#SUCCESS}
 *                       for QoS 0; may be {@link PubAckReason#NO_MATCHING_SUBSCRIBERS}, which is not an error
 * @param reasonString   the reason string of the acknowledgement, or null
 * @param userProperties the user properties of the acknowledgement
 */
public record PublishAck(QoS qos, ReasonCode reasonCode, String reasonString, List<FlowHeader> userProperties) {
}
