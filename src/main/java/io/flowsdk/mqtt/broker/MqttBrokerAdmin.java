package io.flowsdk.mqtt.broker;

import io.flowsdk.bus.FlowMessage;
import io.vertx.core.Future;

import java.util.List;

/**
 * What operators may see and do on one broker (the admin API's hook into it): read its sessions and
 * retained messages, disconnect a client, delete a retained message. Every call hops onto the
 * broker's event loop, so it may be made from any thread; the answers are snapshots.
 */
public interface MqttBrokerAdmin {

  /** Every session of this node, connected or not, sorted by client id. */
  Future<List<MqttSessionInfo>> sessions();

  /**
   * Closes the connection of {@code clientId} (an MQTT 5 client first hears DISCONNECT 0x98,
   * Administrative action); its session stays for its expiry and its will is published as for any
   * connection lost. Completes with false when no client with that id is connected here.
   */
  Future<Boolean> disconnect(String clientId);

  /** The retained messages (cluster-wide) whose topics match {@code filter}, not expired; {@code INVALID} for a bad filter. */
  Future<List<FlowMessage>> retained(String filter);

  /** Deletes the retained message of {@code topic}; completes with whether there was one, {@code INVALID} for a bad topic. */
  Future<Boolean> deleteRetained(String topic);
}
