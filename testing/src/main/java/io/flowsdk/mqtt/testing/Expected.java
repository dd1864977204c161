package io.flowsdk.mqtt.testing;

import io.netty.handler.codec.mqtt.MqttMessageType;

import java.util.List;
import java.util.stream.Collectors;

/** The server response a specification requires for a {@link ViolationCase}, and whether an {@link Observation} is one. */
public final class Expected {

  private final MqttMessageType reply;
  private final List<Integer> codes;
  private final boolean closes;
  private final Expected alternative;

  private Expected(MqttMessageType reply, List<Integer> codes, boolean closes, Expected alternative) {
    this.reply = reply;
    this.codes = codes;
    this.closes = closes;
    this.alternative = alternative;
  }

  /**
   * The server closes the connection; before it may send a refusing CONNACK or DISCONNECT with one of {@code codes}
   * (any refusal code when none are given), and nothing else.
   */
  public static Expected close(Integer... codes) {
    return new Expected(null, List.of(codes), true, null);
  }

  /** The server answers with {@code type} carrying {@code code} (SUBACK: its first reason code) and keeps the connection. */
  public static Expected reply(MqttMessageType type, int code) {
    return new Expected(type, List.of(code), false, null);
  }

  /** The server answers with {@code type} carrying {@code code} and then closes the connection. */
  public static Expected replyThenClose(MqttMessageType type, int code) {
    return new Expected(type, List.of(code), true, null);
  }

  /** This response, or else {@code other}. */
  public Expected or(Expected other) {
    return new Expected(reply, codes, closes, alternative == null ? other : alternative.or(other));
  }

  /** Whether a close is one of the accepted responses (the runner then waits for it). */
  boolean acceptsClose() {
    return closes || alternative != null && alternative.acceptsClose();
  }

  public boolean matches(Observation o) {
    if (o.setupError() != null) {
      return false;
    }
    return matchesThis(o) || alternative != null && alternative.matches(o);
  }

  private boolean matchesThis(Observation o) {
    if (reply != null) {
      return !o.packets().isEmpty() && o.packets().get(0).type() == reply && codes.contains(o.packets().get(0).reasonCode())
        && o.closed() == closes;
    }
    return o.closed() && o.packets().stream().allMatch(p -> p.isRefusal() && (codes.isEmpty() || codes.contains(p.reasonCode())));
  }

  @Override
  public String toString() {
    String codeList = codes.stream().map(c -> String.format("0x%02X", c)).collect(Collectors.joining("/"));
    String self;
    if (reply != null) {
      self = reply + " " + codeList + (closes ? ", close" : "");
    } else {
      self = codes.isEmpty() ? "close" : "close (" + codeList + " allowed)";
    }
    return alternative == null ? self : self + " or " + alternative;
  }
}
