package io.flowsdk.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A secret (password, token) a person gives a command: typed at the console without echo, or piped in. */
public final class SecretInput {

  private SecretInput() {
  }

  /**
   * Reads the secret from the console (showing {@code prompt}, not echoing what is typed) or, without a
   * console, the first line of standard input; null when none was given (an empty line or no input).
   */
  public static String read(String prompt) throws IOException {
    Console console = System.console();
    String secret;
    if (console != null) {
      char[] typed = console.readPassword(prompt);
      secret = typed == null ? null : new String(typed);
    } else {
      secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    return secret == null || secret.isEmpty() ? null : secret;
  }
}
