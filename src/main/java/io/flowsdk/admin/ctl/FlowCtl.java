package io.flowsdk.admin.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code java -jar flowsdk-vertx.jar ctl <command>}: the admin API from a terminal (clients,
 * disconnect, routes, retained, status), MQTT pub/sub/bench against a broker, and passwd for the hashes a
 * configuration holds. Exit codes: 0 done, 1 refused by the API or the broker, 2 bad usage, 3 node or
 * broker unreachable, 4 timed out. Errors are one line on stderr.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
  description = "Operate a FlowSDK node: its admin API (--url, default http://127.0.0.1:8080) and its MQTT broker.",
  subcommands = {AdminCommands.Clients.class, AdminCommands.Disconnect.class, AdminCommands.Routes.class,
    AdminCommands.Retained.class, AdminCommands.Queues.class, AdminCommands.Peek.class, AdminCommands.Redrive.class, AdminCommands.Tables.class, StatusCommand.class,
    MqttCommands.Pub.class, MqttCommands.Sub.class, BenchCommand.class, PasswdCommands.class},
  exitCodeListHeading = "%nExit codes:%n",
  exitCodeList = {"0:done", "1:refused by the admin API or the broker", "2:bad usage", "3:node or broker unreachable",
    "4:timed out"})
public final class FlowCtl {

  private FlowCtl() {
  }

  /** Runs {@code args} (the words after {@code ctl}) printing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new FlowCtl());
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      int code = e instanceof CtlException ? ((CtlException) e).exitCode : CtlException.REFUSED;
      err.println("flowsdk ctl: " + e.getMessage());
      err.flush();
      return code;
    });
    int code = cli.execute(args);
    if (args.length == 0) {
      cli.usage(err);
      code = 2;
    }
    out.flush();
    err.flush();
    return code;
  }
}
