package io.serendip.operator.experiment;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the router replicas counted during one rollout step, from their cumulative counters, the way Prometheus'
 * {@code increase()} reads counters: a replica is one process (pod name and start time), so a restarted or
 * replaced router is a new process whose counters start at zero, never a negative difference. Counts of a process
 * that went away stay in the window up to its last read; a process first seen after the step began counts from
 * zero. Immutable; {@link #observe} returns the next window.
 *
 * <p>A replica that was running but not read when the step began (not ready at that read) is treated as new, so
 * what it counted before the step leaks into the window; the operator reads every ready replica on every
 * reconcile, which keeps that to pods that became ready in between.
 */
public final class StepWindow {
  private record Process(Map<String, ArmCounters> baseline, Map<String, ArmCounters> last) {}

  private final String step;
  private final Map<String, Process> processes;
  private final Map<String, ArmCounters> retired;
  private final int retiredProcesses;

  private StepWindow(String step, Map<String, Process> processes, Map<String, ArmCounters> retired,
      int retiredProcesses) {
    this.step = step;
    this.processes = processes;
    this.retired = retired;
    this.retiredProcesses = retiredProcesses;
  }

  /**
   * A window opening at step {@code step} (e.g. the step's start time): what each process has counted so far is
   * its baseline.
   *
   * @param current each process's cumulative counters by arm, keyed by process (pod and start time)
   */
  public static StepWindow open(String step, Map<String, Map<String, ArmCounters>> current) {
    Map<String, Process> processes = new LinkedHashMap<>();
    current.forEach((process, counters) -> processes.put(process, new Process(Map.copyOf(counters), Map.copyOf(counters))));
    return new StepWindow(step, processes, Map.of(), 0);
  }

  public String step() {
    return step;
  }

  /** The window after another read of the processes. */
  public StepWindow observe(Map<String, Map<String, ArmCounters>> current) {
    Map<String, ArmCounters> retiredNow = new HashMap<>(retired);
    Map<String, Process> next = new LinkedHashMap<>();
    int gone = (int) processes.keySet().stream().filter(key -> !current.containsKey(key)).count();
    processes.forEach((key, process) -> {
      if (!current.containsKey(key)) {
        // Gone (deleted, restarted, replaced): what it counted in this window up to its last read stays counted.
        addInto(retiredNow, difference(process.last(), process.baseline()));
      }
    });
    current.forEach((key, counters) -> {
      Process known = processes.get(key);
      next.put(key, new Process(known == null ? Map.of() : known.baseline(), Map.copyOf(counters)));
    });
    return new StepWindow(step, next, Map.copyOf(retiredNow), retiredProcesses + gone);
  }

  /** How many router processes this window has seen (each counts a user it serves once, as an assignment). */
  public int processCount() {
    return processes.size() + retiredProcesses;
  }

  /** Per arm, everything counted in this window by every process seen in it. */
  public Map<String, ArmCounters> counts() {
    Map<String, ArmCounters> total = new HashMap<>(retired);
    processes.values().forEach(p -> addInto(total, difference(p.last(), p.baseline())));
    return total;
  }

  /**
   * What this window counted since {@code earlier} was read: the difference of their counts when both are the same
   * step's window, else all of this window (a new step, or no earlier read). Never negative: a window's counts only
   * grow.
   */
  public Map<String, ArmCounters> countedSince(StepWindow earlier) {
    Map<String, ArmCounters> now = counts();
    return earlier == null || !earlier.step.equals(step) ? now : difference(now, earlier.counts());
  }

  private static Map<String, ArmCounters> difference(Map<String, ArmCounters> last, Map<String, ArmCounters> baseline) {
    Map<String, ArmCounters> out = new HashMap<>();
    last.forEach((arm, counters) -> out.put(arm, counters.minus(baseline.getOrDefault(arm, ArmCounters.ZERO))));
    return out;
  }

  private static void addInto(Map<String, ArmCounters> total, Map<String, ArmCounters> more) {
    more.forEach((arm, counters) -> total.merge(arm, counters, ArmCounters::plus));
  }
}
