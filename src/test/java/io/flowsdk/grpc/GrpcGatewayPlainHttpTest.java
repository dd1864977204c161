package io.flowsdk.grpc;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

import static io.flowsdk.grpc.GatewayFixture.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain HTTP to the gRPC port is told what the port speaks. */
class GrpcGatewayPlainHttpTest {

  @Test
  void givenHttp11AndPlainHttp2Requests_thenA415WithABodyNamingGrpcOverHttp2() throws Exception {
    try (GatewayFixture node = new GatewayFixture(new GrpcGatewayOptions())) {
      for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_1_1, HttpVersion.HTTP_2}) {
        var client = node.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version)
          .setHttp2ClearTextUpgrade(false));
        HttpClientResponse[] got = new HttpClientResponse[1];
        String body = join(client.request(new RequestOptions().setMethod(HttpMethod.GET)
          .setHost("127.0.0.1").setPort(node.port()).setURI("/"))
          .compose(r -> r.send())
          .compose(r -> {
            got[0] = r;
            return r.body();
          })).toString();
        HttpClientResponse response = got[0];
        assertEquals(version, response.version());
        assertEquals(415, response.statusCode());
        assertTrue(response.getHeader("content-type").startsWith("text/plain"), response.getHeader("content-type"));
        assertEquals("This port serves gRPC over HTTP/2 (content-type application/grpc), not plain HTTP: use a gRPC"
          + " client (h2c with prior knowledge, or TLS with ALPN h2). See docs/grpc-gateway.md.\n", body);
      }
    }
  }
}
