package io.flowsdk.node;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;

/**
 * The command line of {@link FlowNode}. Only what is listed in {@link #USAGE} is accepted: the
 * generic Vert.x launcher options ({@code -instances}, a main verticle, ...) would deploy something
 * else than the node configuration says, so they, and any stray argument, are refused.
 */
record NodeArguments(String conf, boolean clustered, String clusterName, boolean verbose, boolean help) {

  static final String USAGE = """
    Usage: java [-Dflowsdk.portOffset=N] -jar flowsdk-vertx.jar [-conf FILE|JSON] [-cluster] [-cluster-name NAME] [-v]

       or: java -jar flowsdk-vertx.jar ctl COMMAND ...   (the command-line client; ctl --help lists its commands)

    Starts a FlowSDK node: the flow bus, then the verticles its configuration lists.

      -conf FILE|JSON      the node configuration, a file or inline JSON; without it the embedded
                           default (conf/flow.json in the source tree; every key: docs/configuration.md)
      -cluster             join the Hazelcast cluster described by ./cluster.xml
      -cluster-name NAME   join the cluster called NAME (implies -cluster; default: cluster.xml's,
                           flowsdk); nodes with another name on this host stay out of it
      -v                   verbose: also log Hazelcast's, Micrometer's and the launcher's start-up lines
      -h, --help           print this text

      -Dflowsdk.portOffset=N   a JVM option (before -jar): adds N to every listener's port, so a
                               second node can run on the same machine

    The default node listens on 127.0.0.1 only:
      8080   HTTP management: /health (status, node id, cluster members), /metrics (Prometheus),
             /api (admin API, docs/admin.md)
      50051  gRPC: flowsdk.v1.Flow (publish, subscribe, request, serve), health, reflection
    The start log prints one line per listener and "node up" once the node is ready.
    """;

  /** Parses {@code args}; fails with {@link FlowError#INVALID} on anything not in the usage. */
  static NodeArguments parse(String... args) {
    String conf = null;
    boolean clustered = false;
    String clusterName = null;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-conf", "--conf" -> conf = value(args, ++i, arg, "a file or a JSON object");
        case "-cluster", "--cluster" -> clustered = true;
        case "-cluster-name", "--cluster-name" -> {
          clusterName = value(args, ++i, arg, "a cluster name");
          clustered = true;
        }
        case "-v", "--verbose" -> verbose = true;
        case "-h", "-help", "--help" -> {
          return new NodeArguments(null, false, null, false, true);
        }
        default -> {
          if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
            conf = arg.substring(arg.indexOf('=') + 1);
          } else {
            throw new FlowException(FlowError.INVALID, refusal(arg));
          }
        }
      }
    }
    return new NodeArguments(conf, clustered, clusterName, verbose, false);
  }

  private static String value(String[] args, int index, String option, String what) {
    if (index >= args.length || args[index].isBlank()) {
      throw new FlowException(FlowError.INVALID, option + " needs " + what);
    }
    return args[index];
  }

  private static String refusal(String arg) {
    if (arg.startsWith("-D")) {
      return "'" + arg + "' is a JVM option: put it before -jar (java " + arg + " -jar flowsdk-vertx.jar ...)";
    }
    return "unknown argument '" + arg + "' (the node deploys what its -conf lists; --help shows what it accepts)";
  }
}
