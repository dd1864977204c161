package io.flowsdk.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time used by this JVM or by another process (from /proc), to put beside each figure. */
public final class CpuClock {

  private CpuClock() {
  }

  /** CPU seconds this JVM has used so far. */
  public static double thisProcess() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** CPU seconds process {@code pid} has used so far (user + system), or NaN when it cannot be read. */
  public static double process(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks / 100.0;
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
