package io.flowsdk.security;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted PBKDF2 password hash (the JDK's {@code PBKDF2WithHmacSHA256}) in the one-string form
 * {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt and hash in Base64 without padding), so a
 * configuration holds no password. The gateway's bearer tokens keep their plain SHA-256: a token is
 * random and looked up by its hash, which a per-entry salt would make impossible; a password is
 * chosen by a person and needs the salt and the work factor.
 *
 * <p>Checking costs {@code iterations} HMAC rounds (about 0.2-0.5 s at the default on a busy core):
 * call {@link #verify} off the event loop.
 *
 * <p>{@link #main} makes a hash: {@code java -cp flowsdk-vertx.jar io.flowsdk.security.PasswordHash},
 * then type the password (or pipe it in: the first line of standard input).
 */
public final class PasswordHash {

  /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023). */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** Fewer rounds than this are refused in a configuration. */
  public static final int MIN_ITERATIONS = 1_000;

  private static final String PREFIX = "$pbkdf2-sha256$";
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** Hashes {@code password} with a new random salt and {@link #DEFAULT_ITERATIONS}. */
  public static String hash(String password) {
    return hash(password, DEFAULT_ITERATIONS);
  }

  /** Hashes {@code password} with a new random salt and {@code iterations} rounds (at least {@link #MIN_ITERATIONS}). */
  public static String hash(String password, int iterations) {
    checkIterations(iterations);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BITS)).toString();
  }

  /**
   * Reads the one-string form; fails with {@code INVALID} (saying what is wrong, never echoing the
   * string) when it is not one.
   */
  public static PasswordHash parse(String encoded) {
    if (encoded == null || !encoded.startsWith(PREFIX)) {
      throw invalid("it must start with " + PREFIX + " (make one with io.flowsdk.security.PasswordHash)");
    }
    String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3) {
      throw invalid("it must be " + PREFIX + "<iterations>$<salt>$<hash>");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw invalid("its iteration count is not a number");
    }
    checkIterations(iterations);
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] salt = b64.decode(parts[1]);
      byte[] hash = b64.decode(parts[2]);
      if (salt.length < 8 || hash.length < 16) {
        throw invalid("its salt or hash is too short");
      }
      return new PasswordHash(iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      throw invalid("its salt or hash is not Base64");
    }
  }

  /** Whether {@code password} is the one hashed; compares in constant time. Costs {@code iterations} rounds. */
  public boolean verify(String password) {
    return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length * 8));
  }

  public int iterations() {
    return iterations;
  }

  @Override
  public String toString() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  private static byte[] derive(String password, byte[] salt, int iterations, int bits) {
    char[] chars = password.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new FlowException(FlowError.INTERNAL, ALGORITHM + " is not available in this JVM", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  private static void checkIterations(int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw invalid("it needs at least " + MIN_ITERATIONS + " iterations, not " + iterations);
    }
  }

  private static FlowException invalid(String why) {
    return new FlowException(FlowError.INVALID, "not a password hash: " + why);
  }

  /**
   * Prints the hash of a password read from the console (not echoed) or from the first line of
   * standard input; an optional argument sets the iterations.
   */
  public static void main(String[] args) throws IOException {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ITERATIONS;
    String password = SecretInput.read("password: ");
    if (password == null) {
      System.err.println("no password given: type it, or pipe it in (printf %s PASSWORD | java -cp ... PasswordHash)");
      System.exit(2);
    }
    System.out.println(hash(password, iterations));
  }
}
