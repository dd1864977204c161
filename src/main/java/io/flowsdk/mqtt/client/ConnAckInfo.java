package io.flowsdk.mqtt.client;

import io.flowsdk.bus.FlowHeader;
import io.flowsdk.bus.QoS;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * A successful CONNACK: what the broker granted and what it can do. For MQTT 3.1.1 brokers the
 * capability fields hold the MQTT 5 defaults (everything available, no limits but the protocol's).
 *
 * @param reasonCode                  always {@link ConnectReason#SUCCESS} (refusals fail the connect future)
 * @param sessionPresent              whether the broker resumed a session; if not, inflight messages of the
 *                                    previous connection were lost and subscriptions must be made again
 * @param assignedClientIdentifier    the client id the broker assigned when the client sent none, or null
 * @param sessionExpiryInterval       the session expiry in seconds in effect (the broker's value if it sent one)
 * @param receiveMaximum              how many QoS 1/2 publishes may be unacknowledged at once (1-65535)
 * @param maximumQos                  the highest QoS the broker accepts
 * @param retainAvailable             whether retained messages are supported
 * @param maximumPacketSize           the largest packet the broker accepts, in bytes
 * @param topicAliasMaximum           how many topic aliases the client may use towards the broker (0 = none)
 * @param serverKeepAlive             the keep-alive in seconds in effect (the broker may override ours)
 * @param wildcardSubscriptionAvailable     whether filters may contain {@code +} and {@code #}
 * @param subscriptionIdentifiersAvailable  whether subscription identifiers are supported
 * @param sharedSubscriptionAvailable       whether {@code $share/} filters are supported
 * @param responseInformation         the response information the broker sent, or null
 * @param serverReference             another server to use, or null
 * @param reasonString                the reason string, or null
 * @param authenticationData          the broker's final enhanced-authentication data, or null
 * @param userProperties              the user properties of the CONNACK
 */
public record ConnAckInfo(
  ConnectReason reasonCode,
  boolean sessionPresent,
  String assignedClientIdentifier,
  long sessionExpiryInterval,
  int receiveMaximum,
  QoS maximumQos,
  boolean retainAvailable,
  long maximumPacketSize,
  int topicAliasMaximum,
  int serverKeepAlive,
  boolean wildcardSubscriptionAvailable,
  boolean subscriptionIdentifiersAvailable,
  boolean sharedSubscriptionAvailable,
  String responseInformation,
  String serverReference,
  String reasonString,
  Buffer authenticationData,
  List<FlowHeader> userProperties) {
}
