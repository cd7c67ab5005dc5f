package io.runtimepolicy.operator.policy;

import io.runtimepolicy.operator.policy.TuningPlan.AnnotationEdit;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' limit on all annotations of an object, keys and values. A plan whose record would
 * take the object past it would make the API server refuse the user's own write, so the plan is
 * withheld instead: the workload runs untuned, with a Notice {@code AnnotationsTooLarge} in status,
 * warnings and Events alike.
 */
final class AnnotationBudget {

  static final int LIMIT_BYTES = 256 * 1024;

  static final String DETAIL =
      "not tuned: recording the values would take the annotations past Kubernetes' 256 KiB limit";

  private AnnotationBudget() {}

  static boolean exceeded(Map<String, String> annotations, List<AnnotationEdit> edits) {
    Map<String, String> after = new HashMap<>(annotations);
    for (AnnotationEdit edit : edits) {
      if (edit.value() == null) {
        after.remove(edit.key());
      } else {
        after.put(edit.key(), edit.value());
      }
    }
    long bytes = 0;
    for (Map.Entry<String, String> e : after.entrySet()) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      bytes += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes > LIMIT_BYTES;
  }

  static Finding finding() {
    return Finding.notice(Reasons.ANNOTATIONS_TOO_LARGE, null, DETAIL);
  }
}
