package io.flowsdk.mqtt.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance report: one row per case, one column of observations per server. As plain text (aligned columns)
 * or as a Markdown table (for {@code docs/CONFORMANCE.md}).
 */
public final class ConformanceTable {

  private final Map<String, List<CaseResult>> targets = new LinkedHashMap<>();

  /** Adds a server's results (all from the same list of cases, in the same order). */
  public ConformanceTable add(String target, List<CaseResult> results) {
    targets.put(target, results);
    return this;
  }

  /** {@code target}'s results, in the order of the cases. */
  public List<CaseResult> results(String target) {
    return List.copyOf(targets.get(target));
  }

  /** How many of {@code target}'s cases passed. */
  public long passed(String target) {
    return targets.get(target).stream().filter(CaseResult::passed).count();
  }

  public boolean allPassed() {
    return targets.values().stream().flatMap(List::stream).allMatch(CaseResult::passed);
  }

  public String toText() {
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("case", "statement", "expected"));
    if (targets.size() == 1) {
      header.add("observed");
      header.add("result");
    } else {
      header.addAll(targets.keySet());
    }
    rows.add(header.toArray(new String[0]));
    for (int i = 0; i < caseCount(); i++) {
      rows.add(row(i, false));
    }
    int[] widths = new int[header.size()];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    StringBuilder out = new StringBuilder();
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        out.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
      }
      out.append('\n');
    });
    return out.append(summary()).append('\n').toString();
  }

  public String toMarkdown() {
    StringBuilder out = new StringBuilder("| case | statement | expected |");
    targets.keySet().forEach(t -> out.append(' ').append(t).append(" |"));
    out.append("\n|---|---|---|");
    targets.keySet().forEach(t -> out.append("---|"));
    out.append('\n');
    for (int i = 0; i < caseCount(); i++) {
      out.append("| ").append(String.join(" | ", row(i, true))).append(" |\n");
    }
    out.append("| **passed** | | |");
    targets.keySet().forEach(t -> out.append(" **").append(passed(t)).append(" / ").append(caseCount()).append("** |"));
    return out.append('\n').toString();
  }

  private String summary() {
    StringBuilder out = new StringBuilder();
    targets.keySet().forEach(t -> out.append(t).append(": ").append(passed(t)).append(" of ").append(caseCount()).append(" passed. "));
    return out.toString().trim();
  }

  private int caseCount() {
    return targets.values().iterator().next().size();
  }

  private String[] row(int i, boolean markdown) {
    List<String> cells = new ArrayList<>();
    ViolationCase c = targets.values().iterator().next().get(i).violation();
    cells.add(markdown ? "`" + c.name() + "`" : c.name());
    cells.add(c.statement());
    cells.add(c.expected().toString());
    for (List<CaseResult> results : targets.values()) {
      CaseResult r = results.get(i);
      String verdict = r.passed() ? "PASS" : "FAIL";
      if (targets.size() == 1 && !markdown) {
        cells.add(r.observed().toString());
        cells.add(verdict);
      } else {
        cells.add((markdown && !r.passed() ? "**FAIL**" : verdict) + ": " + r.observed());
      }
    }
    return cells.toArray(new String[0]);
  }
}
