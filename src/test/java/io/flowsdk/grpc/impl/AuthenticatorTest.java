package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.grpc.GrpcPermittedOptions;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AuthenticatorTest {

  private final Authenticator auth = new Authenticator(List.of(new GrpcTokenOptions().setName("shop")
    .setSha256(GrpcTokenOptions.hash("s3cret"))
    .addInboundPermitted(new GrpcPermittedOptions().setAddressRegex("orders/.*"))
    .addOutboundPermitted(new GrpcPermittedOptions().setAddress("orders/#"))
    .addOutboundPermitted(new GrpcPermittedOptions().setAddress("svc/pricing"))));

  private static void unauthenticated(Runnable r) {
    GrpcCallException e = assertThrows(GrpcCallException.class, r::run);
    assertEquals(GrpcStatus.UNAUTHENTICATED, e.status());
    assertEquals(FlowError.NOT_AUTHORIZED, e.error());
  }

  @Test
  void givenNoTokensConfigured_thenEveryoneMayDoEverything() {
    assertSame(Permissions.ALL, new Authenticator(List.of()).authenticate(null));
  }

  @Test
  void givenTokens_whenMissingMalformedOrUnknown_thenUnauthenticated() {
    unauthenticated(() -> auth.authenticate(null));
    unauthenticated(() -> auth.authenticate("Basic czNjcmV0"));
    unauthenticated(() -> auth.authenticate("Bearer "));
    unauthenticated(() -> auth.authenticate("Bearer wrong"));
    assertEquals("shop", auth.authenticate("bearer s3cret").holder());
  }

  @Test
  void givenToken_thenInboundAndOutboundChecksFollowItsLists() {
    Permissions p = auth.authenticate("Bearer s3cret");
    assertDoesNotThrow(() -> p.checkInbound("orders/42"));
    assertEquals(FlowError.NOT_AUTHORIZED, assertThrows(FlowException.class, () -> p.checkInbound("orders")).error());
    assertDoesNotThrow(() -> p.checkOutbound("orders/#"));
    assertDoesNotThrow(() -> p.checkOutbound("$share/g/orders/#"));
    assertDoesNotThrow(() -> p.checkOutbound("svc/pricing"));
    assertThrows(FlowException.class, () -> p.checkOutbound("orders/+"), "exact means exact");
    assertThrows(FlowException.class, () -> p.checkOutbound("#"));
  }
}
