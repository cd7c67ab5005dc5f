package io.runtimepolicy.bench;

import io.runtimepolicy.testing.PromText;

/** The operator's own counters on its /metrics, as JOSDK's Micrometer binding names them. */
final class OperatorCounters {

  private OperatorCounters() {}

  /** Reconciles started, every policy of the process together. */
  static double reconciles(PromText metrics) {
    return metrics.sum("operator_sdk_reconciliations_started_total");
  }

  /** Deployment writes (tune or release) the operator counted itself. */
  static double deploymentsPatched(PromText metrics) {
    return metrics.sum("runtimepolicy_deployments_patched_total");
  }

  /** TLS connections the webhook server accepted: one per connection the API server opened. */
  static double webhookConnections(PromText metrics) {
    return metrics.sum("runtimepolicy_webhook_connections_total");
  }

  /** Reviews the webhook server timed, from a request's last byte read to its response written. */
  static double reviewsTimed(PromText metrics) {
    return metrics.sum("runtimepolicy_webhook_review_seconds_count");
  }

  static double reviewSeconds(PromText metrics) {
    return metrics.sum("runtimepolicy_webhook_review_seconds_sum");
  }

  /** Events the operator wrote itself: unambiguous where controllers write Events too. */
  static double eventsWritten(PromText metrics) {
    return metrics.sum("runtimepolicy_events_total", s -> "written".equals(s.label("result")));
  }
}
