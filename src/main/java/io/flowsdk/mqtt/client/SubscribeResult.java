package io.flowsdk.mqtt.client;

import io.flowsdk.bus.FlowHeader;

import java.util.List;

/**
 * The SUBACK of a {@link SubscribeRequest}: one reason code per filter, in request order. A filter may
 * be refused while others are granted, so the future succeeds and the caller checks each code
 * ({@link #allGranted()}).
 *
 * @param filters        the filters as requested
 * @param reasonCodes    the reason code of each filter (granted QoS, or an error)
 * @param reasonString   the reason string, or null
 * @param userProperties the user properties of the SUBACK
 */
public record SubscribeResult(List<String> filters, List<SubAckReason> reasonCodes, String reasonString,
                              List<FlowHeader> userProperties) {

  /** True when no filter was refused. */
  public boolean allGranted() {
    return reasonCodes.stream().noneMatch(SubAckReason::isError);
  }
}
