package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Inject mode: where a workload's running pods stand against what the policy computes now. */
public class PodCounts {

  @JsonPropertyDescription("Pods that carry the values the policy computes now.")
  private int current;

  @JsonPropertyDescription(
      "Pods injected with values the policy no longer computes (it changed since they started).")
  private int stale;

  @JsonPropertyDescription(
      "Pods created without injection (the webhook was down, or the policy came later).")
  private int untuned;

  public PodCounts() {}

  public PodCounts(int current, int stale, int untuned) {
    this.current = current;
    this.stale = stale;
    this.untuned = untuned;
  }

  public int getCurrent() {
    return current;
  }

  public void setCurrent(int current) {
    this.current = current;
  }

  public int getStale() {
    return stale;
  }

  public void setStale(int stale) {
    this.stale = stale;
  }

  public int getUntuned() {
    return untuned;
  }

  public void setUntuned(int untuned) {
    this.untuned = untuned;
  }
}
