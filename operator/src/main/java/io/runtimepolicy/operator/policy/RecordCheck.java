package io.runtimepolicy.operator.policy;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * Which entries of a {@link ManagedEnv} record the operator acts on. The record travels with the
 * object, so it can be copied into another object ({@code kubectl get -o yaml}, edited, applied as
 * a new one) or written by hand; acting on such an entry would rewrite or delete a variable the
 * operator never set. Every entry dropped here is a Notice {@code ManagedEnvIgnored}, and the next
 * record no longer has it.
 */
final class RecordCheck {

  private RecordCheck() {}

  /**
   * The entries some runtime profile could have written ({@link RuntimeProfile#wrote}), built in or
   * custom under any policy: a custom runtime the policy no longer declares still gives back.
   */
  static ManagedEnv written(ManagedEnv record, List<Finding> ignored) {
    return keep(
        record,
        (container, variable) -> {
          ManagedEnv.Entry entry = record.entry(container, variable).orElseThrow();
          return RuntimeProfiles.ALL.stream().anyMatch(p -> p.wrote(variable, entry))
              || CustomProfile.couldHaveWritten(variable, entry);
        },
        "the operator never writes it there",
        ignored);
  }

  /**
   * At a CREATE nothing was governed before, so an entry counts only where this write manages the
   * same variable of the same container; the others came with a copy.
   */
  static ManagedEnv governedBy(
      ManagedEnv record, WorkloadEvaluation evaluation, List<Finding> ignored) {
    return keep(
        record,
        (container, variable) ->
            evaluation != null
                && evaluation.containers().stream()
                    .anyMatch(c -> c.name().equals(container) && c.desired().containsKey(variable)),
        "a new object that does not govern it",
        ignored);
  }

  private static ManagedEnv keep(
      ManagedEnv record, BiPredicate<String, String> kept, String why, List<Finding> ignored) {
    ManagedEnv.Builder next = ManagedEnv.builder();
    record
        .containers()
        .forEach(
            (container, vars) ->
                vars.forEach(
                    (variable, entry) -> {
                      if (kept.test(container, variable)) {
                        next.put(container, variable, entry);
                      } else {
                        String detail =
                            "ignored the managed-env entry for " + variable + ": " + why;
                        ignored.add(Finding.notice(Reasons.MANAGED_ENV_IGNORED, container, detail));
                      }
                    }));
    return next.build();
  }
}
