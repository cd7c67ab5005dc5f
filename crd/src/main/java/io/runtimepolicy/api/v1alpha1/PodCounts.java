package io.runtimepolicy.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * Where a workload's running pods stand: in Inject mode always; in Enforce and Audit mode only
 * while some of them are stale (their resources changed after their template).
 */
public class PodCounts {

  @JsonPropertyDescription(
      "Pods that carry the values the policy computes now (Enforce, Audit: for their own"
          + " resources).")
  private int current;

  @JsonPropertyDescription(
      "Pods whose values no longer match: the policy computes others since they were injected, or"
          + " their resources changed after the values were computed (staleReasons says which).")
  private int stale;

  @JsonPropertyDescription(
      "The stale pods by reason: PolicyChanged (Inject: the policy computes other values since"
          + " they were injected), ResizedInPlace (their resources changed after creation, through"
          + " pods/resize or VPA in place, and their values were computed for the old ones) or"
          + " ResourcesChangedAtAdmission (Enforce, Audit: admitted with other resources than their"
          + " template, as VPA's admission does, so the template's values are not theirs)."
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
