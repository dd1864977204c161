package io.flowsdk.grpc.impl;

import io.flowsdk.FlowException;
import io.flowsdk.grpc.BearerTokens;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.vertx.grpc.common.GrpcStatus;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the {@code authorization: Bearer <token>} metadata of a call ({@link BearerTokens}) to the
 * token's {@link Permissions}. A missing or unknown token is {@code UNAUTHENTICATED}; without configured
 * tokens every caller gets {@link Permissions#ALL}.
 */
public final class Authenticator {

  private final BearerTokens tokens;
  private final Map<GrpcTokenOptions, Permissions> permissions = new IdentityHashMap<>();

  public Authenticator(List<GrpcTokenOptions> tokens) {
    this.tokens = new BearerTokens(tokens, "gateway");
    tokens.forEach(t -> permissions.put(t, Permissions.of(t)));
  }

  /** The permissions of the caller presenting {@code authorization} (the header value, or null). */
  public Permissions authenticate(String authorization) {
    try {
      return tokens.authenticate(authorization).map(permissions::get).orElse(Permissions.ALL);
    } catch (FlowException e) {
      throw new GrpcCallException(e.error(), GrpcStatus.UNAUTHENTICATED, e.getMessage());
    }
  }
}
