package io.flowsdk.mqtt.testing;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How a server answered a case: the packets it sent after the violation, and whether it closed the connection
 * within the wait. {@code setupError} is set when the case could not be run (no connection, CONNECT refused).
 */
public record Observation(List<PacketSummary> packets, boolean closed, String setupError) {

  public static Observation setupFailed(String why) {
    return new Observation(List.of(), false, why);
  }

  @Override
  public String toString() {
    if (setupError != null) {
      return "not run: " + setupError;
    }
    String sent = packets.isEmpty() ? "nothing" : packets.stream().map(PacketSummary::toString).collect(Collectors.joining(", "));
    return sent + (closed ? ", closed" : ", still open");
  }
}
