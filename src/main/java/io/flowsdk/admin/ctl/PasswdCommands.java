package io.flowsdk.admin.ctl;

import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminTokenOptions;
import io.flowsdk.mqtt.broker.MqttUserOptions;
import io.flowsdk.security.PasswordHash;
import io.flowsdk.security.SecretInput;
import io.flowsdk.util.BearerTokens;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code ctl passwd}: the configuration entry of a broker user ({@code "users"} of the broker's auth
 * options) or of an admin token ({@code "adminTokens"} of the management listener), with the secret's
 * hash as the node stores it. The secret is typed (not echoed) or piped in, never an argument, so it
 * stays out of the shell's history and the process list.
 */
@Command(name = "passwd", description = "Print the JSON entry of a broker user or an admin token, with its hash.",
  subcommands = {PasswdCommands.User.class, PasswdCommands.Token.class})
final class PasswdCommands {

  private PasswdCommands() {
  }

  /** Reads the secret, prints {@code entry} of it as one line of JSON, exits 0; exit 2 when no secret came. */
  abstract static class EntryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** What the secret is called in the prompt and the messages: "password", "token". */
    abstract String secretName();

    abstract JsonObject entry(String secret);

    @Override
    public Integer call() throws IOException {
      String secret = SecretInput.read(secretName() + ": ");
      if (secret == null) {
        throw new CtlException(2, "no " + secretName() + " given: type it, or pipe it in (printf %s SECRET | ... ctl passwd "
          + spec.name() + " ...)");
      }
      spec.commandLine().getOut().println(entry(secret).encode());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "user", description = "A broker user: {\"username\", \"passwordHash\"} (salted PBKDF2); reads the password.")
  static final class User extends EntryCommand {
    @Parameters(paramLabel = "USERNAME")
    String username;
    @Option(names = "--iterations", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
      description = "PBKDF2 rounds (default ${DEFAULT-VALUE}, at least " + PasswordHash.MIN_ITERATIONS + ")")
    int iterations;

    @Override
    String secretName() {
      return "password";
    }

    @Override
    JsonObject entry(String password) {
      if (iterations < PasswordHash.MIN_ITERATIONS) {
        throw new CtlException(2, "--iterations must be at least " + PasswordHash.MIN_ITERATIONS + ", not " + iterations);
      }
      return new MqttUserOptions().setUsername(username).setPasswordHash(PasswordHash.hash(password, iterations)).toJson();
    }
  }

  @Command(name = "token", description = "An admin API token: {\"name\", \"sha256\", \"role\"}; reads the token.")
  static final class Token extends EntryCommand {
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--role", defaultValue = "READ", description = "READ or ADMIN (default ${DEFAULT-VALUE})")
    AdminRole role;

    @Override
    String secretName() {
      return "token";
    }

    @Override
    JsonObject entry(String token) {
      return new AdminTokenOptions().setName(name).setSha256(BearerTokens.sha256(token)).setRole(role).toJson();
    }
  }
}
