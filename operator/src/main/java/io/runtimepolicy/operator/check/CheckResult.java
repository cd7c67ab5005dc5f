package io.runtimepolicy.operator.check;

import java.util.List;

/**
 * Everything one run found.
 *
 * @param workloads every governed-kind object and Pod of the input, in input order
 * @param skipped documents that are not workloads (Services, ConfigMaps, ...)
 * @param unreadable inputs that could not be checked
 */
record CheckResult(List<WorkloadReport> workloads, int skipped, List<Unreadable> unreadable) {

  /** Exit 0: clean; nothing violated and nothing admission would change. */
  static final int CLEAN = 0;

  /** Exit 1: some workload violates a rule. */
  static final int VIOLATION = 1;

  /** Exit 2: some input cannot be read, or the command line is wrong. */
  static final int UNREADABLE = 2;

  CheckResult {
    workloads = List.copyOf(workloads);
    unreadable = List.copyOf(unreadable);
  }

  /**
   * 2 when any input is unreadable; else 1 when any workload violates a rule; else {@code
   * warnExitCode} when admission would change some value; else 0. Notices alone never change it.
   */
  int exitCode(int warnExitCode) {
    if (!unreadable.isEmpty()) {
      return UNREADABLE;
    }
    if (workloads.stream().anyMatch(WorkloadReport::violates)) {
      return VIOLATION;
    }
    return workloads.stream().anyMatch(w -> !w.changes().isEmpty()) ? warnExitCode : CLEAN;
  }

  long count(WorkloadReport.State state) {
    return workloads.stream().filter(w -> w.state() == state).count();
  }
}
