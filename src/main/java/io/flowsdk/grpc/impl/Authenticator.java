package io.flowsdk.grpc.impl;

import io.flowsdk.FlowException;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.flowsdk.util.BearerTokens;
import io.vertx.grpc.common.GrpcStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the {@code authorization: Bearer <token>} metadata of a call ({@link BearerTokens}) to the
 * token's {@link Permissions}. A missing or unknown token is {@code UNAUTHENTICATED}; without configured
 * tokens every caller gets {@link Permissions#ALL}.
 */
public final class Authenticator {

  private final BearerTokens<Permissions> tokens;

  public Authenticator(List<GrpcTokenOptions> tokens) {
    Map<String, Permissions> byHash = new HashMap<>();
    for (GrpcTokenOptions token : tokens) {
      byHash.put(token.getSha256(), Permissions.of(token));
    }
    this.tokens = new BearerTokens<>(byHash, "this gateway needs the metadata 'authorization: Bearer <token>'");
  }

  /** The permissions of the caller presenting {@code authorization} (the header value, or null). */
  public Permissions authenticate(String authorization) {
    if (tokens.isEmpty()) {
      return Permissions.ALL;
    }
    try {
      return tokens.resolve(authorization);
    } catch (FlowException e) {
      throw new GrpcCallException(e.error(), GrpcStatus.UNAUTHENTICATED, e.getMessage());
    }
  }
}
