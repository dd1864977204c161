package io.flowsdk.bench;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts HiveMQ CE embedded (which, unlike the standalone server, admits clients without a security
 * extension) in a JVM of its own (its jctools and the HiveMQ client's cannot share a classpath):
 * {@code HiveMqCeLauncher <home folder> <inflight window>}, the home folder holding the
 * {@code conf/config.xml} the benchmark wrote. CE caps the messages it has in flight
 * to a client at {@code InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES} (50) whatever the
 * client's Receive Maximum, and config.xml cannot change it, so it is set here to the window every
 * other broker gets. Reached by reflection: this class is compiled without CE on the classpath.
 * Exits when stdin closes, so CE never outlives the benchmark.
 */
public final class HiveMqCeLauncher {

  private HiveMqCeLauncher() {
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Class.forName("com.hivemq.configuration.service.InternalConfigurations")
      .getField("MAX_INFLIGHT_WINDOW_SIZE_MESSAGES").setInt(null, Integer.parseInt(args[1]));
    Class<?> embedded = Class.forName("com.hivemq.embedded.EmbeddedHiveMQ");
    Object builder = embedded.getMethod("builder").invoke(null);
    for (String[] folder : new String[][] {{"withConfigurationFolder", "conf"}, {"withDataFolder", "data"},
      {"withExtensionsFolder", "extensions"}}) {
      builder = builder.getClass().getMethod(folder[0], Path.class).invoke(builder, home.resolve(folder[1]));
    }
    Object hivemq = builder.getClass().getMethod("build").invoke(builder);
    ((CompletableFuture<?>) embedded.getMethod("start").invoke(hivemq)).get(60, TimeUnit.SECONDS);
    System.out.println("READY");
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // nothing to do but wait for the benchmark to end
    }
    System.exit(0);
  }
}
