package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.PodOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Inject policy's part of a reconcile: the census of its pods, injected (from the label-selected
 * watch) or not (from the scan), one outcome per owner; a finding new for that owner is also an
 * Event on it and, for stale and untuned pods, a log line.
 */
final class InjectedPodReport implements HeldState.Holder {

  private static final Logger log = LoggerFactory.getLogger(InjectedPodReport.class);

  private final InjectedPodSource pods;
  private final UntunedPodScan untuned;
  private final WorkloadEvents events;
  private final BiFunction<PodOwner, String, String> cachedUid;

  /**
   * Per policy, whether each injected pod was current, by uid, for the resourceVersion and settings
   * it was computed from: a burst of pod creations reconciles the policy again and again, and each
   * reconcile would otherwise run the engine on every pod of the namespace.
   */
  private final Map<String, Verdicts> verdicts = new ConcurrentHashMap<>();

  private record Verdict(String resourceVersion, boolean current) {}

  private record Verdicts(PolicySettings settings, Map<String, Verdict> byUid) {}

  /**
   * {@code cachedUid}: an owner's uid from the workload caches, by owner and namespace; or null.
   */
  InjectedPodReport(
      InjectedPodSource pods,
      UntunedPodScan untuned,
      WorkloadEvents events,
      BiFunction<PodOwner, String, String> cachedUid) {
    this.pods = pods;
    this.untuned = untuned;
    this.events = events;
    this.cachedUid = cachedUid;
  }

  List<WorkloadOutcome> outcomes(
      String namespace, String policy, PolicySettings settings, FindingMemo memo) {
    List<Pod> injected = pods.governedBy(namespace, policy);
    Verdicts known =
        verdicts.compute(
            namespace + "/" + policy,
            (key, last) ->
                last != null && last.settings().equals(settings)
                    ? last
                    : new Verdicts(settings, new HashMap<>()));
    Map<String, Verdict> seen = new HashMap<>();
    List<PodCensus.Entry> entries =
        PodCensus.count(
            settings,
            policy,
            injected,
            untuned.of(namespace, policy),
            pod -> {
              var meta = pod.getMetadata();
              Verdict last = known.byUid().get(meta.getUid());
              Verdict verdict =
                  last != null && last.resourceVersion().equals(meta.getResourceVersion())
                      ? last
                      : new Verdict(
                          meta.getResourceVersion(),
                          Injection.current(
                              settings, policy, meta.getAnnotations(), pod.getSpec()));
              seen.put(meta.getUid(), verdict);
              return verdict.current();
            });
    // Only pods still there: the memo never outgrows the watch.
    known.byUid().clear();
    known.byUid().putAll(seen);
    List<WorkloadOutcome> outcomes = new ArrayList<>(entries.size());
    for (PodCensus.Entry entry : entries) {
      report(namespace, entry, memo);
      outcomes.add(entry.outcome());
    }
    return outcomes;
  }

  private void report(String namespace, PodCensus.Entry entry, FindingMemo memo) {
    PodOwner owner = entry.owner();
    Map<String, Finding> byKey = new LinkedHashMap<>();
    entry.findings().forEach(f -> byKey.putIfAbsent(key(f), f));
    for (String key :
        memo.newSince(owner.kind() + "/" + owner.name(), List.copyOf(byKey.keySet()))) {
      Finding finding = byKey.get(key);
      if (aboutPods(finding)) {
        log.info("{} {}/{}: {}", owner.kind(), namespace, owner.name(), entry.eventText(finding));
      }
      events.about(
          owner.apiVersion(),
          owner.kind(),
          namespace,
          owner.name(),
          owner.uid() != null ? owner.uid() : cachedUid.apply(owner, namespace),
          finding.severity() == Finding.Severity.Violation,
          finding.reason(),
          entry.eventText(finding));
    }
  }

  /** Policies, and pods within them. */
  @Override
  public int size() {
    return verdicts.size() + verdicts.values().stream().mapToInt(v -> v.byUid().size()).sum();
  }

  @Override
  public void policyGone(ResourceID policy) {
    verdicts.remove(HeldState.key(policy));
  }

  /** A count that moves during a rollout is still the same finding: one Event, not one per pod. */
  private static String key(Finding finding) {
    return finding.severity()
        + "|"
        + finding.reason()
        + "|"
        + (aboutPods(finding) ? "" : finding.message());
  }

  private static boolean aboutPods(Finding finding) {
    return Reasons.PODS_STALE.equals(finding.reason())
        || Reasons.PODS_UNTUNED.equals(finding.reason())
        || Reasons.RESIZED_IN_PLACE.equals(finding.reason());
  }
}
