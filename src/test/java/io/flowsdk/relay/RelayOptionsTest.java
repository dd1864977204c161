package io.flowsdk.relay;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.config.BackoffOptions;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayOptionsTest {

  @Test
  void givenChangedUpstreamOptionsWhenWrittenAndReadBackThenTheyAreEqual() {
    RelayUpstreamOptions o = new RelayUpstreamOptions().setName("u").setPort(0).setBrokerHost("b").setBrokerPort(1884)
      .setBrokerConnectTimeoutMillis(5).setMaxSessions(3).setMaxPacketSize(2048).setMaxPendingPackets(7)
      .addToken(new io.flowsdk.grpc.GrpcTokenOptions().setName("e").setSha256(io.flowsdk.grpc.GrpcTokenOptions.hash("t")))
      .setTls(true).setTlsCertPath("c").setTlsKeyPath("k");
    assertEquals(o.toJson(), new RelayUpstreamOptions(o).toJson());
    assertEquals(o.toJson(), new RelayUpstreamOptions(o.toJson()).toJson());
  }

  @Test
  void givenChangedEdgeOptionsWhenWrittenAndReadBackThenTheyAreEqual() {
    RelayEdgeOptions o = new RelayEdgeOptions().setName("e")
      .setListeners(List.of(new MqttListenerOptions().setPort(0), new MqttListenerOptions().setPort(0)
        .setTransport(MqttListenerOptions.Transport.WEBSOCKET)))
      .setUpstreams(List.of(new UpstreamAddressOptions("u", 1), new UpstreamAddressOptions("v", 2)))
      .setUpstreamRetry(new BackoffOptions(7, 70, 0.1))
      .setConnectTimeoutMillis(5).setMaxSessions(3).setMaxPacketSize(2048)
      .setUpstreamToken("t").setUpstreamTls(true).setUpstreamTlsCaPath("ca");
    assertEquals(o.toJson(), new RelayEdgeOptions(o).toJson());
    assertEquals(o.toJson(), new RelayEdgeOptions(o.toJson()).toJson());
  }

  @Test
  void givenAnUpstreamWithoutPortWhenReadThenItIsTheSProxyPort() {
    RelayEdgeOptions o = new RelayEdgeOptions(new JsonObject().put("upstreams", new JsonArray().add(new JsonObject().put("host", "u"))));
    assertEquals("u:50515", o.getUpstreams().get(0).toString());
    assertEquals("localhost:50515", new RelayEdgeOptions().getUpstreams().get(0).toString());
  }

  @Test
  void givenAnUnknownKeyOrAnOutOfRangeValueWhenReadThenItIsInvalidAndNamed() {
    FlowException unknown = assertThrows(FlowException.class,
      () -> new RelayEdgeOptions(new JsonObject().put("upstreamHost", "h")));
    assertEquals(FlowError.INVALID, unknown.error());
    assertTrue(unknown.getMessage().contains("[upstreamHost] in RelayEdgeOptions"), unknown.getMessage());
    FlowException none = assertThrows(FlowException.class,
      () -> new RelayEdgeOptions(new JsonObject().put("upstreams", new JsonArray())));
    assertEquals("option 'upstreams' of RelayEdgeOptions needs at least one upstream", none.getMessage());
    FlowException quic = assertThrows(FlowException.class, () -> new RelayEdgeOptions()
      .setListeners(List.of(new MqttListenerOptions().setTransport(MqttListenerOptions.Transport.QUIC))));
    assertEquals("option 'listeners' of RelayEdgeOptions takes TCP and WEBSOCKET listeners; an MQTT edge serves no QUIC",
      quic.getMessage());
    FlowException range = assertThrows(FlowException.class, () -> new RelayUpstreamOptions().setMaxPacketSize(10));
    assertEquals(FlowError.INVALID, range.error());
  }

  @Test
  void givenTheOldFlatRetryKeysWhenReadThenInvalidSaysWhereTheyMoved() {
    FlowException old = assertThrows(FlowException.class,
      () -> new RelayEdgeOptions(new JsonObject().put("upstreamRetryInitialMillis", 200)));
    assertEquals(FlowError.INVALID, old.error());
    assertEquals("option 'upstreamRetryInitialMillis' of RelayEdgeOptions moved to 'upstreamRetry.initialMillis'", old.getMessage());
  }

  @Test
  void givenAPartialUpstreamRetryWhenReadThenTheRestKeepsTheEdgeDefaults() {
    RelayEdgeOptions o = new RelayEdgeOptions(new JsonObject().put("upstreamRetry", new JsonObject().put("maxMillis", 5_000)));
    assertEquals(RelayEdgeOptions.DEFAULT_UPSTREAM_RETRY_INITIAL_MILLIS, o.getUpstreamRetry().getInitialMillis());
    assertEquals(5_000, o.getUpstreamRetry().getMaxMillis());
    assertEquals(RelayEdgeOptions.DEFAULT_UPSTREAM_RETRY_JITTER, o.getUpstreamRetry().getJitter());
    FlowException range = assertThrows(FlowException.class,
      () -> new RelayEdgeOptions(new JsonObject().put("upstreamRetry", new JsonObject().put("maxMillis", 0))));
    assertEquals("option 'maxMillis' of RelayEdgeOptions.upstreamRetry must be 1..3600000, not 0", range.getMessage());
  }
}
