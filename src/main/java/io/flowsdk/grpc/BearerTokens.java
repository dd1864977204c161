package io.flowsdk.grpc;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer-token scheme of FlowSDK's gRPC servers (the gateway, the relay upstream): a caller sends
 * the metadata {@code authorization: Bearer <token>}; the server knows only the SHA-256 of each token it
 * accepts ({@link GrpcTokenOptions}). Without configured tokens every caller is accepted.
 */
public final class BearerTokens {

  /** The metadata key that carries the token. */
  public static final String AUTHORIZATION = "authorization";

  private static final String BEARER = "bearer ";

  private final Map<String, GrpcTokenOptions> byHash = new HashMap<>();
  private final String server;

  /** @param server names the server in the refusal of a call without a token ("this gateway needs ...") */
  public BearerTokens(List<GrpcTokenOptions> tokens, String server) {
    tokens.forEach(t -> byHash.put(t.getSha256(), t));
    this.server = server;
  }

  /**
   * The token presented by {@code authorization} (the header value, or null); empty when no token is
   * configured, so none is needed.
   *
   * @throws FlowException NOT_AUTHORIZED when a token is needed and the header is missing, malformed or unknown
   */
  public Optional<GrpcTokenOptions> authenticate(String authorization) {
    if (byHash.isEmpty()) {
      return Optional.empty();
    }
    if (authorization == null || authorization.length() <= BEARER.length()
      || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new FlowException(FlowError.NOT_AUTHORIZED, "this " + server + " needs the metadata 'authorization: Bearer <token>'");
    }
    GrpcTokenOptions token = byHash.get(GrpcTokenOptions.hash(authorization.substring(BEARER.length()).trim()));
    if (token == null) {
      throw new FlowException(FlowError.NOT_AUTHORIZED, "unknown bearer token");
    }
    return Optional.of(token);
  }

  /** The {@code authorization} header value a caller sends for {@code token}. */
  public static String header(String token) {
    return "Bearer " + token;
  }
}
