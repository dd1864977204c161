package io.flowsdk.mqtt.client;

/**
 * A reconnect attempt about to be made.
 *
 * @param attempt     1 for the first attempt after a loss, counting up until a connect succeeds
 * @param delayMillis how long the client waits before this attempt (exponential backoff with jitter)
 */
public record ReconnectInfo(int attempt, long delayMillis) {
}
