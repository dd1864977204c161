package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpcGatewayOptionsTest {

  private static String invalid(JsonObject json) {
    FlowException e = assertThrows(FlowException.class, () -> new GrpcGatewayOptions(json));
    assertEquals(FlowError.INVALID, e.error());
    return e.getMessage();
  }

  @Test
  void givenDefaults_thenJsonRoundTripsAndDefaultsAreTheDocumentedOnes() {
    GrpcGatewayOptions o = new GrpcGatewayOptions();
    assertEquals(o.toJson(), new GrpcGatewayOptions(o.toJson()).toJson());
    assertEquals(o.toJson(), new GrpcGatewayOptions(new JsonObject()).toJson());
    assertEquals("127.0.0.1", o.getHost());
    assertEquals(50051, o.getPort());
    assertEquals(StreamOverflowPolicy.DROP_OLDEST, o.getOverflowPolicy());
    assertEquals(ClientAuth.NONE, o.getClientAuth());
  }

  @Test
  void givenEveryOptionSet_thenJsonAndCopyRoundTrip() {
    GrpcGatewayOptions o = new GrpcGatewayOptions().setHost("0.0.0.0").setPort(0).setMaxMessageBytes(2048)
      .setMaxPayloadBytes(10).setMaxConcurrentStreams(3).setMaxSubscriptionsPerStream(4).setStreamBufferSize(5)
      .setOverflowPolicy(StreamOverflowPolicy.END_STREAM).setPublishWindow(6).setMaxUnackedDeliveries(7)
      .setRedeliveryTimeoutMillis(8).setMaxRedeliveries(9).setDefaultRequestTimeoutMillis(10).setServeTimeoutMillis(11)
      .setMaxPendingRequests(12).setIdleTimeoutMillis(13).setRequestHeaderTimeoutMillis(14).setReflection(false).setAuthenticateHealth(true).setAuthenticateReflection(false).setTls(true).setTlsCertPath("c.pem").setTlsKeyPath("k.pem")
      .setTlsClientCaPath("ca.pem").setClientAuth(ClientAuth.REQUIRED)
      .addToken(new GrpcTokenOptions().setName("n").setSha256(GrpcTokenOptions.hash("t"))
        .addInboundPermitted(new GrpcPermittedOptions().setAddress("a"))
        .addOutboundPermitted(new GrpcPermittedOptions().setAddressRegex("b/.*")));
    assertEquals(o.toJson(), new GrpcGatewayOptions(o.toJson()).toJson());
    assertEquals(o.toJson(), new GrpcGatewayOptions(o).toJson());
    assertTrue(new GrpcGatewayOptions(o.toJson()).getTokens().get(0).getOutboundPermitted().get(0).permits("b/c"));
  }

  @Test
  void givenBadJson_thenInvalidNamingTheKey() {
    assertTrue(invalid(new JsonObject().put("prot", 1)).contains("prot"));
    assertTrue(invalid(new JsonObject().put("port", 70000)).contains("port"));
    assertTrue(invalid(new JsonObject().put("overflowPolicy", "DROP_ALL")).contains("overflowPolicy"));
    assertTrue(invalid(new JsonObject().put("tokens", new JsonArray().add(new JsonObject().put("sha256", "abc")))).contains("sha256"));
    assertTrue(invalid(new JsonObject().put("tokens", new JsonArray().add(new JsonObject().put("name", "no hash")))).contains("sha256"));
    assertTrue(invalid(new JsonObject().put("tokens", new JsonArray().add(new JsonObject()
      .put("sha256", GrpcTokenOptions.hash("t"))
      .put("inboundPermitted", new JsonArray().add(new JsonObject().put("addressRegex", "(")))))).contains("addressRegex"));
    assertTrue(invalid(new JsonObject().put("tokens", new JsonArray().add(new JsonObject()
      .put("sha256", GrpcTokenOptions.hash("t"))
      .put("outboundPermitted", new JsonArray().add(new JsonObject().put("topic", "x")))))).contains("topic"));
  }

  @Test
  void givenTlsWithoutCertificate_whenGatewayCreated_thenInvalid() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      Throwable e = GatewayFixture.failure(GrpcGateway.create(vertx, new GrpcGatewayOptions().setPort(0).setTls(true)));
      assertEquals(FlowError.INVALID, ((FlowException) e).error());
    } finally {
      GatewayFixture.join(vertx.close());
    }
  }
}
