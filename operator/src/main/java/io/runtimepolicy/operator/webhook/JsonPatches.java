package io.runtimepolicy.operator.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.policy.TuningPlan.AnnotationEdit;
import io.runtimepolicy.operator.policy.TuningPlan.EnvEdit;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@link TuningPlan} as an RFC 6902 JSONPatch of the object under admission. Indices come from
 * the object as it was sent, whose lists keep their order, so every operation lands on the entry
 * the plan means. Per container: values are set in place first, then entries removed from the
 * highest index down, then new entries appended, so no operation shifts another's index.
 */
final class JsonPatches {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonPatches() {}

  /** The operations, as a JSON array; empty when the plan changes nothing. */
  static ArrayNode of(WorkloadKind<?> kind, HasMetadata object, TuningPlan plan) {
    ArrayNode ops = JSON.createArrayNode();
    PodTemplateSpec template = kind.podTemplateOf(object);
    List<Container> containers =
        template == null || template.getSpec() == null || template.getSpec().getContainers() == null
            ? List.of()
            : template.getSpec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      Container container = containers.get(i);
      List<EnvEdit> edits =
          plan.env().stream().filter(e -> e.container().equals(container.getName())).toList();
      if (!edits.isEmpty() && firstNamed(containers, container.getName()) == i) {
        env(ops, kind.podSpecPointer() + "/containers/" + i, container, edits);
      }
    }
    metadataMap(ops, "annotations", object.getMetadata().getAnnotations(), plan.annotations());
    metadataMap(ops, "labels", object.getMetadata().getLabels(), plan.labels());
    return ops;
  }

  private static void env(ArrayNode ops, String pointer, Container container, List<EnvEdit> edits) {
    List<EnvVar> env = container.getEnv() == null ? List.of() : container.getEnv();
    List<Integer> removals = new ArrayList<>();
    List<EnvEdit> appends = new ArrayList<>();
    for (EnvEdit edit : edits) {
      int index = lastNamed(env, edit.variable());
      if (index < 0) {
        if (edit.value() != null) {
          appends.add(edit);
        }
      } else if (edit.value() == null) {
        removals.add(index);
      } else {
        // add, not replace: it also works on an entry written without a value field.
        op(ops, "add", pointer + "/env/" + index + "/value").put("value", edit.value());
      }
    }
    removals.stream()
        .distinct()
        .sorted(Comparator.reverseOrder())
        .forEach(index -> op(ops, "remove", pointer + "/env/" + index));
    // fabric8 reads an absent list as an empty one: an empty list is (re)created whole.
    boolean hasList = !env.isEmpty();
    for (EnvEdit edit : appends) {
      ObjectNode entry = JSON.createObjectNode().put("name", edit.variable());
      entry.put("value", edit.value());
      if (hasList) {
        op(ops, "add", pointer + "/env/-").set("value", entry);
      } else {
        op(ops, "add", pointer + "/env").putArray("value").add(entry);
        hasList = true;
      }
    }
  }

  /** Edits of {@code metadata.annotations} or {@code metadata.labels}. */
  private static void metadataMap(
      ArrayNode ops, String field, Map<String, String> current, List<AnnotationEdit> edits) {
    if (edits.isEmpty()) {
      return;
    }
    // fabric8 reads an absent map as an empty one: an empty map is (re)created whole.
    if (current == null || current.isEmpty()) {
      if (edits.stream().allMatch(e -> e.value() == null)) {
        return;
      }
      ObjectNode all = op(ops, "add", "/metadata/" + field).putObject("value");
      edits.stream().filter(e -> e.value() != null).forEach(e -> all.put(e.key(), e.value()));
      return;
    }
    for (AnnotationEdit edit : edits) {
      String pointer = "/metadata/" + field + "/" + escape(edit.key());
      if (edit.value() != null) {
        op(ops, "add", pointer).put("value", edit.value());
      } else if (current.containsKey(edit.key())) {
        op(ops, "remove", pointer);
      }
    }
  }

  private static ObjectNode op(ArrayNode ops, String op, String path) {
    return ops.addObject().put("op", op).put("path", path);
  }

  /** RFC 6901: "~" and "/" inside a key. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static int lastNamed(List<EnvVar> env, String name) {
    for (int i = env.size() - 1; i >= 0; i--) {
      if (env.get(i) != null && name.equals(env.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }

  // The engine reads the first container of a name; a duplicate is the API server's to reject.
  private static int firstNamed(List<Container> containers, String name) {
    for (int i = 0; i < containers.size(); i++) {
      if (name.equals(containers.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }
}
