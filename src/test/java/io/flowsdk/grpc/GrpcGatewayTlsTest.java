package io.flowsdk.grpc;

import com.google.protobuf.ByteString;
import io.flowsdk.grpc.v1.PublishRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS and mutual TLS from options, proven with grpc-java as the client. */
class GrpcGatewayTlsTest {

  static final SelfSignedCertificate SERVER = SelfSignedCertificate.create("localhost");
  static final SelfSignedCertificate CLIENT = SelfSignedCertificate.create("client");
  static final SelfSignedCertificate STRANGER = SelfSignedCertificate.create("stranger");

  static GatewayFixture tls;
  static GatewayFixture mutual;

  @BeforeAll
  static void start() throws Exception {
    tls = new GatewayFixture(new GrpcGatewayOptions().setTls(true)
      .setTlsCertPath(SERVER.certificatePath()).setTlsKeyPath(SERVER.privateKeyPath()));
    mutual = new GatewayFixture(new GrpcGatewayOptions().setTls(true)
      .setTlsCertPath(SERVER.certificatePath()).setTlsKeyPath(SERVER.privateKeyPath())
      .setTlsClientCaPath(CLIENT.certificatePath()).setClientAuth(ClientAuth.REQUIRED));
  }

  @AfterAll
  static void stop() throws Exception {
    tls.close();
    mutual.close();
    SERVER.delete();
    CLIENT.delete();
    STRANGER.delete();
  }

  private static GrpcJavaClient client(int port, SelfSignedCertificate identity) throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(new File(SERVER.certificatePath()));
    if (identity != null) {
      ssl.keyManager(new File(identity.certificatePath()), new File(identity.privateKeyPath()));
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).overrideAuthority("localhost")
      .sslContext(ssl.build()).build();
    return new GrpcJavaClient(channel);
  }

  private static boolean publishes(GrpcJavaClient client) {
    return client.blocking(null).publish(PublishRequest.newBuilder().setMessage(io.flowsdk.grpc.v1.FlowMessage.newBuilder()
      .setTopic("tls/test").setPayload(ByteString.copyFromUtf8("x"))).build()).getNoSubscribers();
  }

  @Test
  void givenTlsGateway_whenClientTrustsItsCertificate_thenCallsWork() throws Exception {
    try (GrpcJavaClient client = client(tls.port(), null)) {
      assertTrue(publishes(client));
    }
  }

  @Test
  void givenTlsGateway_whenClientSpeaksPlaintext_thenUnavailable() throws Exception {
    try (GrpcJavaClient client = new GrpcJavaClient(tls.port())) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> publishes(client));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
  }

  @Test
  void givenMutualTls_whenClientPresentsTrustedCertificate_thenCallsWork() throws Exception {
    try (GrpcJavaClient client = client(mutual.port(), CLIENT)) {
      assertTrue(publishes(client));
    }
  }

  @Test
  void givenMutualTls_whenClientHasNoOrAnUntrustedCertificate_thenRefused() throws Exception {
    try (GrpcJavaClient none = client(mutual.port(), null); GrpcJavaClient stranger = client(mutual.port(), STRANGER)) {
      assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, () -> publishes(none)).getStatus().getCode());
      assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, () -> publishes(stranger)).getStatus().getCode());
    }
  }
}
