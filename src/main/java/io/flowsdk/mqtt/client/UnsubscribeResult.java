package io.flowsdk.mqtt.client;

import io.flowsdk.bus.FlowHeader;

import java.util.List;

/**
 * The UNSUBACK of an unsubscribe: one reason code per filter, in request order.
 *
 * @param filters        the filters as requested
 * @param reasonCodes    the reason code of each filter
 * @param reasonString   the reason string, or null
 * @param userProperties the user properties of the UNSUBACK
 */
public record UnsubscribeResult(List<String> filters, List<UnsubAckReason> reasonCodes, String reasonString,
                                List<FlowHeader> userProperties) {
}
