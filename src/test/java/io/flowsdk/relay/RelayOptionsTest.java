package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayOptionsTest {

  @Test
  void givenChangedUpstreamOptionsWhenWrittenAndReadBackThenTheyAreEqual() {
    RelayUpstreamOptions o = new RelayUpstreamOptions().setName("u").setPort(0).setBrokerHost("b").setBrokerPort(1884)
      .setBrokerConnectTimeoutMillis(5).setMaxSessions(3).setMaxPacketSize(2048).setMaxPendingPackets(7);
    assertEquals(o.toJson(), new RelayUpstreamOptions(o).toJson());
    assertEquals(o.toJson(), new RelayUpstreamOptions(o.toJson()).toJson());
  }

  @Test
  void givenChangedEdgeOptionsWhenWrittenAndReadBackThenTheyAreEqual() {
    RelayEdgeOptions o = new RelayEdgeOptions().setName("e").setPort(0).setUpstreamHost("u").setUpstreamPort(1)
      .setConnectTimeoutMillis(5).setMaxSessions(3).setMaxPacketSize(2048);
    assertEquals(o.toJson(), new RelayEdgeOptions(o).toJson());
    assertEquals(o.toJson(), new RelayEdgeOptions(o.toJson()).toJson());
  }

  @Test
  void givenAnUnknownKeyOrAnOutOfRangeValueWhenReadThenItIsInvalidAndNamed() {
    FlowException unknown = assertThrows(FlowException.class,
      () -> new RelayEdgeOptions(new JsonObject().put("upstreams", 1)));
    assertEquals(FlowError.INVALID, unknown.error());
    assertTrue(unknown.getMessage().contains("[upstreams] in RelayEdgeOptions"), unknown.getMessage());
    FlowException range = assertThrows(FlowException.class, () -> new RelayUpstreamOptions().setMaxPacketSize(10));
    assertEquals(FlowError.INVALID, range.error());
  }
}
