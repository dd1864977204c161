package io.flowsdk.mqtt.client;

/**
 * Why a connection ended.
 *
 * @param reasonCode   the DISCONNECT reason code: the broker's if it sent a DISCONNECT, otherwise the one the
 *                     client sent or assigned (for example {@link DisconnectReason#KEEP_ALIVE_TIMEOUT} when the
 *                     broker stopped answering, {@link DisconnectReason#UNSPECIFIED_ERROR} when the socket closed)
 * @param reasonString the reason string, or null
 * @param byServer     true when the broker sent a DISCONNECT or closed the socket, false when the client ended it
 * @param byUser       true when {@link MqttClient#disconnect()} ended it (no reconnect follows)
 * @param cause        the failure as a typed exception (also given to pending futures)
 */
public record DisconnectInfo(DisconnectReason reasonCode, String reasonString, boolean byServer, boolean byUser,
                             MqttException cause) {
}
