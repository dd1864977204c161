package io.flowsdk.mqtt.client;

import io.flowsdk.FlowException;
import io.flowsdk.mqtt.client.impl.MqttClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * An MQTT 3.1.1 / 5.0 client over TCP or TLS. All state lives on one Vert.x event loop: the context
 * of the caller of {@link #create} on a Vert.x thread; off one (from {@code main()}), a new event-loop
 * context on the next event loop, round robin, so clients created there spread over the event loops.
 * Methods may be called from any thread and return futures completed on that event loop.
 *
 * <p>Lifecycle: {@link #connect()} opens the first connection. When a connection is lost the client
 * reconnects with exponential backoff and jitter (if {@link MqttClientOptions#isReconnect()}),
 * resumes the session when the broker kept it (resending unacknowledged QoS 1/2 publishes with DUP
 * and PUBREL per MQTT 5 §4.4) and fails the futures of inflight messages when it did not.
 * Publishes made while disconnected wait in the bounded, priority-aware offline buffer.
 * {@link #disconnect()} ends it all.
 */
public interface MqttClient {

  /** A client for {@code options} (copied); nothing is opened before {@link #connect()}. */
  static MqttClient create(Vertx vertx, MqttClientOptions options) {
    return new MqttClientImpl(vertx, new MqttClientOptions(options));
  }

  /**
   * Opens the connection and completes with the broker's CONNACK. Fails with an {@link MqttException}
   * carrying the {@link ConnectReason} when the broker refuses, or a {@link FlowException} with
   * {@code TIMEOUT} (no CONNACK within the connect timeout) or {@code DISCONNECTED} (socket failure).
   * A failed first connect does not start the reconnect loop unless
   * {@link MqttClientOptions#isRetryFirstConnect()} is set; then the future completes on the first
   * success (or fails when the attempts run out, or with {@code CANCELLED} on {@link #disconnect()}).
   * Fails with {@code INVALID} when already connected or connecting.
   */
  Future<ConnAckInfo> connect();

  /**
   * Publishes a message. Completes when it is written (QoS 0), on PUBACK (QoS 1) or on PUBCOMP
   * (QoS 2). Fails with an {@link MqttException} for an error reason code, with {@code TIMEOUT} when
   * no acknowledgement came within the ack timeout (the message may still be delivered later),
   * {@code TOO_LARGE} beyond the broker's Maximum Packet Size, {@code INVALID} above the broker's
   * Maximum QoS or retained without Retain Available, {@code OVERLOADED} when the offline buffer dropped it, {@code DISCONNECTED} when the session was lost with the message inflight, and
   * {@code CANCELLED} when {@link #disconnect()} ended the client first.
   */
  Future<PublishAck> publish(PublishRequest request);

  /**
   * Subscribes and completes with one reason code per filter. Fails with {@code DISCONNECTED} when not
   * connected or the connection is lost before the SUBACK, and {@code TIMEOUT} without a SUBACK.
   */
  Future<SubscribeResult> subscribe(SubscribeRequest request);

  /** Unsubscribes from filters; completes with one reason code per filter. Failures as for {@link #subscribe}. */
  Future<UnsubscribeResult> unsubscribe(List<String> filters);

  /**
   * Starts MQTT 5 re-authentication with the {@link #authenticator(MqttAuthenticator) authenticator};
   * completes when the broker answers AUTH Success. Fails with {@code INVALID} without an authenticator
   * or on MQTT 3.1.1.
   */
  Future<Void> reauthenticate();

  /** Disconnects normally (reason code 0x00): the broker discards the will message. */
  Future<Void> disconnect();

  /**
   * Sends DISCONNECT with {@code reason} (MQTT 5; MQTT 3.1.1 sends a plain DISCONNECT) and closes.
   * Stops reconnecting and fails buffered publishes with {@code CANCELLED}. Use
   * {@link DisconnectReason#DISCONNECT_WITH_WILL_MESSAGE} to have the broker publish the will.
   */
  Future<Void> disconnect(DisconnectReason reason, String reasonString);

  /** Receives messages from the broker; without one, messages are acknowledged and discarded. */
  MqttClient messageHandler(MqttMessageHandler handler);

  /** Called after every successful CONNACK (the first connect and every reconnect). */
  MqttClient connectedHandler(Handler<ConnAckInfo> handler);

  /** Called when a connection ends, with the reason. */
  MqttClient disconnectedHandler(Handler<DisconnectInfo> handler);

  /** Called before each reconnect attempt with its number and delay. */
  MqttClient reconnectingHandler(Handler<ReconnectInfo> handler);

  /**
   * Called for failures that belong to no future: a broker that breaks the protocol, a failed
   * reconnect attempt, a reconnect loop that gave up, messages lost because the session was not resumed.
   */
  MqttClient errorHandler(Handler<FlowException> handler);

  /** Sets the MQTT 5 enhanced authenticator; takes effect on the next connect. */
  MqttClient authenticator(MqttAuthenticator authenticator);

  /** True while a connection is open and its CONNACK was a success. */
  boolean isConnected();

  /** The client identifier in use: the configured one, or the one the broker assigned. */
  String clientId();
}
