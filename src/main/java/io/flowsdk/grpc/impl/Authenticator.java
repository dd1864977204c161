package io.flowsdk.grpc.impl;

import io.flowsdk.FlowError;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.vertx.grpc.common.GrpcStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the {@code authorization: Bearer <token>} metadata of a call to the token's
 * {@link Permissions}. The gateway stores only SHA-256 hashes of tokens. A missing or unknown token
 * is {@code UNAUTHENTICATED}; without configured tokens every caller gets {@link Permissions#ALL}.
 */
public final class Authenticator {

  private static final String BEARER = "bearer ";

  private final Map<String, Permissions> byHash = new HashMap<>();

  public Authenticator(List<GrpcTokenOptions> tokens) {
    for (GrpcTokenOptions token : tokens) {
      byHash.put(token.getSha256(), Permissions.of(token));
    }
  }

  /** The permissions of the caller presenting {@code authorization} (the header value, or null). */
  public Permissions authenticate(String authorization) {
    if (byHash.isEmpty()) {
      return Permissions.ALL;
    }
    if (authorization == null || authorization.length() <= BEARER.length()
      || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new GrpcCallException(FlowError.NOT_AUTHORIZED, GrpcStatus.UNAUTHENTICATED,
        "this gateway needs the metadata 'authorization: Bearer <token>'");
    }
    Permissions permissions = byHash.get(GrpcTokenOptions.hash(authorization.substring(BEARER.length()).trim()));
    if (permissions == null) {
      throw new GrpcCallException(FlowError.NOT_AUTHORIZED, GrpcStatus.UNAUTHENTICATED, "unknown bearer token");
    }
    return permissions;
  }
}
