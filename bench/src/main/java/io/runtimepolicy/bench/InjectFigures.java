package io.runtimepolicy.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The inject phase's figures (issue 14), each against its baseline of the same run. */
final class InjectFigures {

  /** Noise between fresh processes' heaps, per pod at N = 1000: about nothing held. */
  static final double UNGOVERNED_POD_BYTES = 100;

  private InjectFigures() {}

  static void creates(Report report, InjectBench.Result result) {
    podCreates(report, result.creates());
    for (WebhookBench.Direct d : result.direct()) {
      direct(report, d);
    }
    report.detail("inject", result);
  }

  private static void podCreates(Report report, InjectBench.Creates c) {
    String s = "inject";
    String n = c.perSide() + " pod creates each side, " + InjectBench.ROUNDS + " rounds: ";
    report.add(
        Figure.of(s, n + "create through API server, p50", c.with().p50Ms(), "ms")
            .vs(c.without().p50Ms(), "no Pod webhook registered"));
    report.add(
        Figure.of(s, n + "create through API server, p99", c.with().p99Ms(), "ms")
            .vs(c.without().p99Ms(), "no Pod webhook registered"));
    report.add(
        Figure.of(s, "created with the webhook, came back labeled", c.labeledWith(), "count")
            .vs(c.createdWith(), "created with it")
            .target("= created", c.labeledWith() == c.createdWith()));
    report.add(
        Figure.of(s, "labeled pods stored in the namespace", c.labeledStored(), "count")
            .vs(c.createdWith(), "created with the webhook")
            .target("= created with it", c.labeledStored() == c.createdWith()));
    report.add(
        Figure.of(s, "created without the webhook, came back labeled", c.labeledWithout(), "count")
            .target("= 0", c.labeledWithout() == 0));
    report.add(
        Figure.of(
                s,
                "Pod webhook calls by the API server (measured creates)",
                c.webhookCalls(),
                "count")
            .vs(c.podReviews(), "operator's Pod review counter"));
    report.add(
        Figure.of(
            s,
            "Pod webhook call as the API server times it, mean",
            c.webhookCalls() == 0 ? Double.NaN : c.webhookCallSeconds() * 1000 / c.webhookCalls(),
            "ms"));
  }

  private static void direct(Report report, WebhookBench.Direct d) {
    String s = "inject";
    String at = "Pod reviews direct, " + d.rate() + "/s: ";
    report.add(
        Figure.of(s, at + "p50", d.operator().latencies().p50Ms(), "ms")
            .vs(d.trivial().latencies().p50Ms(), "trivial"));
    double over = d.operator().latencies().p99Ms() - d.trivial().latencies().p99Ms();
    Figure p99 =
        Figure.of(s, at + "p99", d.operator().latencies().p99Ms(), "ms")
            .vs(d.trivial().latencies().p99Ms(), "trivial");
    report.add(d.rate() == 200 ? p99.target("<= trivial + 2 ms", over <= 2) : p99);
    report.add(
        Figure.of(s, at + "max", d.operator().latencies().maxMs(), "ms")
            .vs(d.trivial().latencies().maxMs(), "trivial"));
    report.add(
        Figure.of(s, at + "errors", d.operator().errors(), "count")
            .vs(d.trivial().errors(), "trivial")
            .target("= 0", d.operator().errors() == 0));
    report.add(
        Figure.of(s, at + "answered per second", d.operator().answeredPerSecond(), "/s")
            .vs(d.trivial().answeredPerSecond(), "trivial"));
  }

  static void memory(Report report, InjectMemoryBench.Result r) {
    String s = "inject memory";
    int n = r.n();
    report.add(
        Figure.of(s, "created through the webhook, came back labeled", r.labeled(), "count")
            .vs(n, "created")
            .target("= created", r.labeled() == n));
    report.add(
        Figure.of(s, "pods the watch holds, " + n + " injected", r.heldInjected(), "count")
            .target("= " + n, r.heldInjected() == n));
    report.add(
        Figure.of(
                s, "pods the watch holds, + " + n + " ungoverned", r.heldWithUngoverned(), "count")
            .target("= " + n, r.heldWithUngoverned() == n));
    report.add(Figure.of(s, "heap after full GC, 0 pods", mib(r.idle().heapLiveBytes()), "MiB"));
    report.add(
        Figure.of(
                s,
                "heap after full GC, " + n + " injected",
                mib(r.injected().heapLiveBytes()),
                "MiB")
            .vs(mib(r.idle().heapLiveBytes()), "0 pods"));
    report.add(
        Figure.of(
            s,
            "heap per injected pod",
            (r.injected().heapLiveBytes() - r.idle().heapLiveBytes()) / (double) n,
            "B"));
    report.add(
        Figure.of(
                s,
                "heap after full GC, + " + n + " ungoverned",
                mib(r.withUngoverned().heapLiveBytes()),
                "MiB")
            .vs(mib(r.injected().heapLiveBytes()), n + " injected"));
    double perUngoverned =
        (r.withUngoverned().heapLiveBytes() - r.injected().heapLiveBytes()) / (double) n;
    report.add(
        Figure.of(s, "heap per ungoverned pod", perUngoverned, "B")
            .target(
                "~0 (<= " + (int) UNGOVERNED_POD_BYTES + " B)",
                perUngoverned <= UNGOVERNED_POD_BYTES));
    report.add(
        Figure.of(s, "RSS, + " + n + " ungoverned", mib(r.withUngoverned().rssBytes()), "MiB")
            .vs(mib(r.idle().rssBytes()), "0 pods"));
    r.errorLines()
        .forEach(
            (what, lines) ->
                report.add(
                    Figure.of(s, "ERROR lines in the operator's log, " + what, lines, "count")
                        .target("= 0", lines == 0)));
    report.detail("injectMemory", details(r));
  }

  /** Where the bytes went: the classes that grew most from one sample to the next. */
  private static Map<String, Object> details(InjectMemoryBench.Result r) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("n", r.n());
    details.put(
        "liveBytesGrowthByClass_idleToInjected", MemoryProbe.topGrowth(r.idle(), r.injected(), 12));
    details.put(
        "liveBytesGrowthByClass_injectedToWithUngoverned",
        MemoryProbe.topGrowth(r.injected(), r.withUngoverned(), 12));
    details.put(
        "heapLiveBytes",
        Map.of(
            "idle", r.idle().heapLiveBytes(),
            "injected", r.injected().heapLiveBytes(),
            "withUngoverned", r.withUngoverned().heapLiveBytes()));
    return details;
  }

  private static double mib(long bytes) {
    return bytes / Figures.MIB;
  }
}
