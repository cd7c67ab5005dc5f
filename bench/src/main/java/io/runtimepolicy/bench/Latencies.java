package io.runtimepolicy.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies, in milliseconds (nearest-rank). */
record Latencies(int count, double p50Ms, double p99Ms, double maxMs) {

  static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(
        sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
  }

  private static double rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
