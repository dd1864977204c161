package io.flowsdk.testing;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.function.BiConsumer;

/** A Paho v5 callback that only hands on arriving messages: the tests that use Paho as a peer need no more. */
public final class PahoArrivals implements MqttCallback {

  private final BiConsumer<String, MqttMessage> onMessage;

  public PahoArrivals(BiConsumer<String, MqttMessage> onMessage) {
    this.onMessage = onMessage;
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    onMessage.accept(topic, message);
  }

  @Override
  public void disconnected(MqttDisconnectResponse r) {
  }

  @Override
  public void mqttErrorOccurred(MqttException e) {
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
  }

  @Override
  public void connectComplete(boolean reconnect, String uri) {
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
  }
}
