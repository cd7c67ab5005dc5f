package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Inject mode: where a workload's running pods stand against what the policy computes now. */
public class PodCounts {

  @JsonPropertyDescription("Pods that carry the values the policy computes now.")
  private int current;

  @JsonPropertyDescription(
      "Pods whose values no longer match: the policy computes others since they were injected, or"
          + " their resources were changed in place since (staleReasons says which).")
  private int stale;

  @JsonPropertyDescription(
      "The stale pods by reason: PolicyChanged (the policy computes other values since they were"
          + " injected) or ResizedInPlace (their resources changed after creation, through"
          + " pods/resize or VPA in place, and their values were computed for the old ones)."
          + " Absent when no pod is stale.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private Map<String, Integer> staleReasons;

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

  public Map<String, Integer> getStaleReasons() {
    return staleReasons;
  }

  public void setStaleReasons(Map<String, Integer> staleReasons) {
    this.staleReasons = staleReasons;
  }

  public int getUntuned() {
    return untuned;
  }

  public void setUntuned(int untuned) {
    this.untuned = untuned;
  }
}
