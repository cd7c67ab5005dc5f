package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.reports.Report;
import io.runtimepolicy.operator.reports.ReportApi;
import io.runtimepolicy.operator.reports.ReportContent;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a policy's Report when its content differs from what the Report holds: a digest of the
 * last write is kept per policy, and read back from the Report once after a start, so nothing is
 * written while nothing changes. Nothing is kept while the API is not served. The policy owns its
 * Report, so the garbage collector removes the Report with it, the operator running or not.
 */
final class ReportWrites implements HeldState.Holder {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private static final Logger log = LoggerFactory.getLogger(ReportWrites.class);

  private final ReportApi api;
  private final int limit;
  private final Map<ResourceID, String> written = new ConcurrentHashMap<>();
  private final AtomicBoolean forbiddenLogged = new AtomicBoolean();
  private final Counter writes;
  private final Counter unchanged;

  ReportWrites(ReportApi api, MeterRegistry registry, int limit) {
    this.api = api;
    this.limit = limit;
    this.writes =
        Counter.builder("runtimepolicy.reports.written")
            .description("OpenReports Report writes (one per changed policy report)")
            .register(registry);
    this.unchanged =
        Counter.builder("runtimepolicy.reports.unchanged")
            .description("Policy reports found unchanged, so not written")
            .register(registry);
  }

  /** Brings the Report of {@code policy} in line with {@code outcomes}, if the API is served. */
  void publish(RuntimePolicy policy, List<WorkloadOutcome> outcomes) {
    if (!api.served()) {
      return;
    }
    ResourceID id = ResourceID.fromResource(policy);
    Report report = desired(policy, outcomes, limit);
    String content = digest(report);
    try {
      String last = written.get(id);
      if (last == null) {
        last = api.get(id.getNamespace().orElseThrow(), id.getName()).map(this::content).orElse("");
      }
      if (content.equals(last)) {
        written.put(id, content);
        unchanged.increment();
        return;
      }
      api.apply(report);
      written.put(id, content);
      writes.increment();
      log.info(
          "Wrote Report {}/{}: {} pass, {} fail, {} warn, {} skip, {} error",
          id.getNamespace().orElse(""),
          id.getName(),
          report.getSummary().pass(),
          report.getSummary().fail(),
          report.getSummary().warn(),
          report.getSummary().skip(),
          report.getSummary().error());
    } catch (KubernetesClientException e) {
      written.remove(id);
      failed(id, e);
    }
  }

  private void failed(ResourceID id, KubernetesClientException e) {
    if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
      written.clear();
      api.gone();
    } else if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
      if (forbiddenLogged.compareAndSet(false, true)) {
        log.warn(
            "RBAC forbids writing Reports (reports.openreports.io): install the chart with"
                + " reports.enabled=true or grant get and patch on them");
      }
    } else {
      // The next reconcile of the policy (an event or the resync) tries again.
      log.warn(
          "Could not write Report {}/{}: {}",
          id.getNamespace().orElse(""),
          id.getName(),
          e.getMessage());
    }
  }

  /** The Report as the operator writes it: content, identity, owner and label, nothing else. */
  static Report desired(RuntimePolicy policy, List<WorkloadOutcome> outcomes, int limit) {
    ObjectMeta meta = policy.getMetadata();
    Report report = ReportContent.of(meta.getName(), meta.getNamespace(), outcomes, limit);
    report.getMetadata().setLabels(Map.of(MANAGED_BY, ReportApi.FIELD_MANAGER));
    report
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(policy.getApiVersion())
                    .withKind(policy.getKind())
                    .withName(meta.getName())
                    .withUid(meta.getUid())
                    .withController(true)
                    .build()));
    return report;
  }

  /** What of a stored Report the operator writes, in the form {@link #desired} serialises to. */
  private String content(Report stored) {
    Report same = new Report();
    same.getMetadata().setName(stored.getMetadata().getName());
    same.getMetadata().setNamespace(stored.getMetadata().getNamespace());
    Optional.ofNullable(stored.getMetadata().getLabels())
        .map(l -> l.get(MANAGED_BY))
        .ifPresent(v -> same.getMetadata().setLabels(Map.of(MANAGED_BY, v)));
    same.getMetadata().setOwnerReferences(stored.getMetadata().getOwnerReferences());
    same.setSource(stored.getSource());
    same.setSummary(stored.getSummary());
    same.setResults(stored.getResults());
    return digest(same);
  }

  /** A digest of the Report's JSON: what is kept per policy, so a Report is not held twice. */
  private static String digest(Report report) {
    try {
      byte[] json = Serialization.asJson(report).getBytes(StandardCharsets.UTF_8);
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public int size() {
    return written.size();
  }

  @Override
  public void policyGone(ResourceID policy) {
    written.remove(policy);
  }
}
