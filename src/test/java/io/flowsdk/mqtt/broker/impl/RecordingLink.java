package io.flowsdk.mqtt.broker.impl;

import java.util.ArrayList;
import java.util.List;

/** A client link that records what a session sends, as {@code PUBLISH id topic qos dup} / {@code PUBREL id} lines. */
final class RecordingLink implements ClientLink {

  final List<String> sent = new ArrayList<>();
  final List<OutgoingPublish> publishes = new ArrayList<>();
  private final boolean mqtt5;
  /** What {@link #writable} answers: a test fills and drains the write queue with it. */
  boolean writable = true;

  RecordingLink(boolean mqtt5) {
    this.mqtt5 = mqtt5;
  }

  @Override
  public boolean mqtt5() {
    return mqtt5;
  }

  @Override
  public boolean mayReceive(String topic) {
    return true;
  }

  @Override
  public void publish(OutgoingPublish p) {
    publishes.add(p);
    sent.add("PUBLISH " + p.packetId + " " + p.topic + " q" + p.qos + (p.dup ? " dup" : "") + (p.retain ? " retain" : ""));
  }

  @Override
  public void pubrel(int packetId) {
    sent.add("PUBREL " + packetId);
  }

  @Override
  public boolean writable() {
    return writable;
  }

  List<String> take() {
    List<String> out = new ArrayList<>(sent);
    sent.clear();
    return out;
  }
}
