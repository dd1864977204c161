package io.flowsdk.node;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a node started by {@link FlowNode} logs (java.util.logging, which Vert.x and Hazelcast use
 * here): one line per record, and the start-up noise of Hazelcast (banner, module-access and CP
 * warnings), Micrometer (a gauge registered twice) and the Vert.x launcher off unless {@code -v}.
 * A logging configuration of the user's own ({@code -Djava.util.logging.config.file}) is left alone.
 */
final class NodeLogging {

  private static final String ONE_LINE = "%1$tT %4$s %5$s%6$s%n";

  /** Loggers quieted by default and their level; held here because JUL forgets the level of a logger nobody references. */
  private static final List<Logger> QUIETED = new ArrayList<>();

  private NodeLogging() {
  }

  /** Must run before anything logs. */
  static void configure(boolean verbose) {
    if (System.getProperty("java.util.logging.config.file") != null || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", ONE_LINE);
    }
    if (verbose) {
      return;
    }
    quiet("com.hazelcast", Level.WARNING);
    quiet("com.hazelcast.instance.impl.HazelcastInstanceFactory", Level.SEVERE);
    quiet("com.hazelcast.cp.CPSubsystem", Level.SEVERE);
    quiet("io.micrometer.core.instrument.MeterRegistry", Level.SEVERE);
    quiet("io.vertx.launcher.application.VertxApplication", Level.WARNING);
  }

  private static void quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    QUIETED.add(logger);
  }
}
