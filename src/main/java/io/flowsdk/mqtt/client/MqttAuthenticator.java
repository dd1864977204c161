package io.flowsdk.mqtt.client;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * MQTT 5 enhanced authentication (SASL-style challenge/response with AUTH packets). The client calls
 * it on its event loop; each method may complete later. A failed future aborts the exchange: the
 * connect fails (or, for re-authentication, the client disconnects with
 * {@link DisconnectReason#NOT_AUTHORIZED}).
 */
public interface MqttAuthenticator {

  /** The Authentication Method sent in CONNECT and AUTH, for example {@code SCRAM-SHA-256}. */
  String method();

  /** The Authentication Data of the CONNECT (or of the AUTH that starts a re-authentication); null for none. */
  Future<Buffer> initialData();

  /** The answer to a broker challenge (an AUTH with Continue Authentication). */
  Future<Buffer> challenge(Buffer serverData);

  /** Called when the broker accepted the authentication (CONNACK or AUTH Success), with its final data or null. */
  default void succeeded(Buffer serverData) {
  }
}
