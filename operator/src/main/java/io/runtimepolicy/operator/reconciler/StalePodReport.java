package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.api.v1alpha1.PodCounts;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.PodOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforce and Audit mode's stale pods, from the scan: a workload some of whose running pods run
 * values their resources no longer give gets {@code pods} in its result, with the reasons, and an
 * Event per reason new for it. A Tuned one is Pending until they are recreated, as in Inject mode:
 * what runs is not what the policy computes for it. A workload with no stale pod is left as it was,
 * so its result does not move as it scales.
 */
final class StalePodReport {

  private static final Logger log = LoggerFactory.getLogger(StalePodReport.class);

  private final StalePodScan scan;
  private final WorkloadEvents events;
  private final BiFunction<PodOwner, String, String> cachedUid;

  StalePodReport(
      StalePodScan scan, WorkloadEvents events, BiFunction<PodOwner, String, String> cachedUid) {
    this.scan = scan;
    this.events = events;
    this.cachedUid = cachedUid;
  }

  /** How often a policy's pods are looked at again. */
  java.time.Duration interval() {
    return scan.interval();
  }

  /** {@code outcomes} with the stale pods of each; no list when the policy governs nothing. */
  List<WorkloadOutcome> outcomes(
      String namespace, String policy, List<WorkloadOutcome> outcomes, FindingMemo memo) {
    if (outcomes.isEmpty()) {
      return outcomes;
    }
    Map<String, Map.Entry<PodOwner, StalePodScan.StalePods>> stale = new HashMap<>();
    scan.of(namespace, policy)
        .forEach(
            (owner, pods) -> {
              if (pods.stale() > 0) {
                stale.put(owner.kind() + "/" + owner.name(), Map.entry(owner, pods));
              }
            });
    if (stale.isEmpty()) {
      return outcomes;
    }
    List<WorkloadOutcome> all = new ArrayList<>(outcomes.size());
    for (WorkloadOutcome outcome : outcomes) {
      var found = stale.get(outcome.kind() + "/" + outcome.name());
      all.add(
          found == null
              ? outcome
              : withStale(namespace, outcome, found.getKey(), found.getValue(), memo));
    }
    return all;
  }

  private WorkloadOutcome withStale(
      String namespace,
      WorkloadOutcome outcome,
      PodOwner owner,
      StalePodScan.StalePods pods,
      FindingMemo memo) {
    PodCounts counts = new PodCounts(pods.running() - pods.stale(), pods.stale(), 0);
    Map<String, Integer> reasons = new TreeMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    pods.byReason()
        .forEach(
            (reason, s) -> {
              reasons.put(reason, s.count());
              texts.put(reason, text(reason, owner, pods.followsLimit(), s));
            });
    counts.setStaleReasons(reasons);
    List<Finding> findings = new ArrayList<>(outcome.findings());
    texts.forEach((reason, text) -> findings.add(Finding.notice(reason, null, text)));
    for (String reason :
        memo.newSince("pods/" + owner.kind() + "/" + owner.name(), List.copyOf(texts.keySet()))) {
      log.info("{} {}/{}: {}", owner.kind(), namespace, owner.name(), texts.get(reason));
      events.about(
          owner.apiVersion(),
          owner.kind(),
          namespace,
          owner.name(),
          owner.uid() != null ? owner.uid() : cachedUid.apply(owner, namespace),
          false,
          reason,
          texts.get(reason));
    }
    return new WorkloadOutcome(
        outcome.kind(),
        outcome.name(),
        pending(outcome.state()),
        outcome.flagsMatch(),
        outcome.containers(),
        findings,
        counts,
        pending(outcome.tuning()),
        outcome.probed());
  }

  private static WorkloadState pending(WorkloadState state) {
    return state == WorkloadState.Tuned ? WorkloadState.Pending : state;
  }

  private static String text(
      String reason, PodOwner owner, boolean followsLimit, StalePodScan.StalePods.Stale stale) {
    if (Reasons.RESIZED_IN_PLACE.equals(reason)) {
      return PodCensus.resizedText(owner, followsLimit, stale.count(), stale.names());
    }
    return PodCensus.podsText(
        stale.count(),
        "admitted with other resources than their template run values computed for the template",
        "use mode Inject beside VPA, which tunes each pod as admitted",
        stale.names());
  }
}
