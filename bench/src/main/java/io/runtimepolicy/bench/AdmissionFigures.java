package io.runtimepolicy.bench;

/** The admission phase's figures (issue 11), with their targets. */
final class AdmissionFigures {

  private AdmissionFigures() {}

  /**
   * The user's own path under the webhook (issue 11): creates with it against creates with no
   * webhook registered, and every write the creates under the webhook caused.
   */
  static void admission(Report report, AdmissionBench.Result r) {
    String s = "admission";
    String n = r.n() + " creates, " + AdmissionBench.ROUNDS + " rounds: ";
    Figure loop =
        Figure.of(s, n + "create loop with the webhook", r.withSeconds(), "s")
            .vs(r.withoutSeconds(), "same creates, no webhook registered");
    report.add(loop.target("<= 1.5x", atMost(loop, 1.5)));
    report.add(
        Figure.of(
                s,
                "one round's creates: create loop with the webhook",
                r.withSeconds() / AdmissionBench.ROUNDS,
                "s")
            .vs(r.trivial().loopSeconds(), "one round's creates with the trivial webhook"));
    Figure paired =
        Figure.of(
                s,
                "governed create, p50, interleaved with the same create without the opt-in",
                r.governedPaired().p50Ms(),
                "ms")
            .vs(r.plainPaired().p50Ms(), "without the opt-in");
    report.add(paired.target("<= 1.5x", atMost(paired, 1.5)));
    report.add(
        Figure.of(
                s,
                "governed create, p99, interleaved with the same create without the opt-in",
                r.governedPaired().p99Ms(),
                "ms")
            .vs(r.plainPaired().p99Ms(), "without the opt-in"));
    report.add(
        Figure.of(s, "single create through API server, p50", r.withSingle().p50Ms(), "ms")
            .vs(r.withoutSingle().p50Ms(), "no webhook"));
    report.add(
        Figure.of(s, "single create through API server, p99", r.withSingle().p99Ms(), "ms")
            .vs(r.withoutSingle().p99Ms(), "no webhook"));
    report.add(
        Figure.of(s, "single dry-run create (nothing stored), p50", r.withDryRun().p50Ms(), "ms")
            .vs(r.withoutDryRun().p50Ms(), "no webhook"));
    report.add(
        Figure.of(s, "single dry-run create (nothing stored), p99", r.withDryRun().p99Ms(), "ms")
            .vs(r.withoutDryRun().p99Ms(), "no webhook"));
    report.add(
        Figure.of(s, "stored tuned by their own create", r.tunedAtCreate(), "count")
            .vs(r.created(), "created")
            .target("= created", r.tunedAtCreate() == r.created()));
    report.add(
        Figure.of(s, "webhook calls by the API server", r.admissionCalls(), "count")
            .vs(r.created(), "created"));
    double callMs =
        r.admissionCalls() == 0 ? Double.NaN : r.admissionCallSeconds() * 1000 / r.admissionCalls();
    report.add(
        Figure.of(s, "webhook call as the API server times it, mean", callMs, "ms")
            .target("<= 2 ms", callMs <= 2));
    report.add(
        Figure.of(
                s,
                "webhook call as the API server times it, mean, against any webhook",
                callMs,
                "ms")
            .vs(r.trivial().callMs(), "the trivial webhook, same creates"));
    double calls = r.admissionCalls();
    double serverMs =
        r.serverReviews() == 0 ? Double.NaN : r.serverReviewSeconds() * 1000 / r.serverReviews();
    report.add(
        Figure.of(
                s,
                "webhook's own time per review (last byte read to response written), mean",
                serverMs,
                "ms")
            .vs(callMs, "the API server's time of the same calls"));
    report.add(
        Figure.of(
            s,
            "webhook calls the API server timed at 5 ms or less",
            pct(r.callsWithin5ms(), calls),
            "%"));
    report.add(
        Figure.of(
            s,
            "webhook calls the API server timed at 25 ms or less",
            pct(r.callsWithin25ms(), calls),
            "%"));
    report.add(
        Figure.of(
                s,
                "TLS connections the API server opened to the webhook",
                r.webhookConnections(),
                "count")
            .vs(calls, "webhook calls"));
    double perDeployment = r.deploymentWrites() / (double) r.created();
    report.add(
        Figure.of(s, "Deployment writes per Deployment", perDeployment, "count")
            .vs(2, "old design: the create + the operator's apply")
            .target("= 1", r.deploymentWrites() == r.deploymentCreates()));
    long operatorDeploymentWrites = r.deploymentWrites() - r.deploymentCreates();
    report.add(
        Figure.of(
                s,
                "operator writes to Deployments (API server: all but the creates)",
                operatorDeploymentWrites,
                "count")
            .target("= 0", operatorDeploymentWrites == 0));
    report.add(
        Figure.of(
                s,
                "operator writes to Deployments (its own counter)",
                r.operatorDeploymentWrites(),
                "count")
            .target("= 0", r.operatorDeploymentWrites() == 0));
    report.add(
        Figure.of(
            s,
            "Events written by the operator per Deployment",
            r.eventWrites() / (double) r.created(),
            "count"));
    report.add(
        Figure.of(s, "policy writes (default policy create + status)", r.policyWrites(), "count"));
    report.add(
        Figure.of(
            s,
            "last create to every Deployment tuned and the status exact",
            r.lastCreateToStatusSeconds(),
            "s"));
    report.detail("admission", r);
  }

  private static double pct(double part, double whole) {
    return whole == 0 ? Double.NaN : 100 * part / whole;
  }

  private static boolean atMost(Figure figure, double ratio) {
    return figure.ratio() != null && figure.ratio() <= ratio;
  }
}
