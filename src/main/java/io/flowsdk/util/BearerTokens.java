package io.flowsdk.util;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The bearer-token scheme of every FlowSDK listener that takes tokens (the gRPC gateway, the admin
 * API): a token is never stored, only its SHA-256 in lower-case hex ({@code printf %s TOKEN | sha256sum}),
 * and a caller presents it as {@code authorization: Bearer <token>}. Resolves a header to what the
 * token grants ({@code T}).
 */
public final class BearerTokens<T> {

  /** The header (gRPC metadata) key that carries the token. */
  public static final String AUTHORIZATION = "authorization";

  private static final String BEARER = "bearer ";

  private final Map<String, T> byHash;
  private final String howToAuthenticate;

  /**
   * @param byHash            what each token grants, by {@link #sha256} of the token
   * @param howToAuthenticate the message for a caller without a token, e.g. "this gateway needs the metadata ..."
   */
  public BearerTokens(Map<String, T> byHash, String howToAuthenticate) {
    this.byHash = new HashMap<>(byHash);
    this.howToAuthenticate = howToAuthenticate;
  }

  /** The SHA-256 of {@code token} in lower-case hex, the form tokens are configured in. */
  public static String sha256(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new FlowException(FlowError.INTERNAL, "SHA-256 is not available in this JVM", e);
    }
  }

  /**
   * {@code sha256} in lower case (null stays null); fails with {@code INVALID} naming option
   * {@code sha256} of {@code owner} when it is not 64 hex digits.
   */
  public static String checkedHash(String owner, String sha256) {
    if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new FlowException(FlowError.INVALID, "option 'sha256' of " + owner + " must be 64 hex digits");
    }
    return sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
  }

  /** True when no token is configured. */
  public boolean isEmpty() {
    return byHash.isEmpty();
  }

  /**
   * What the token in {@code authorization} (the header value, or null) grants. Fails with
   * {@code NOT_AUTHORIZED} when the header is missing, is not a bearer token, or names an unknown token.
   */
  public T resolve(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
      || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new FlowException(FlowError.NOT_AUTHORIZED, howToAuthenticate);
    }
    T granted = byHash.get(sha256(authorization.substring(BEARER.length()).trim()));
    if (granted == null) {
      throw new FlowException(FlowError.NOT_AUTHORIZED, "unknown bearer token");
    }
    return granted;
  }

  /** The {@code authorization} header value a caller sends for {@code token}. */
  public static String header(String token) {
    return "Bearer " + token;
  }
}
