package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which containers' options variable the operator owns, read from its own server-side apply entry
 * in managedFields: the record of what it added, so that it gives back exactly that when a
 * container or the whole Deployment stops being governed, and never touches anyone else's flags.
 */
final class OwnedEnv {

  private static final Pattern NAME_KEY = Pattern.compile("^k:\\{\"name\":\"(.*)\"}$");

  private OwnedEnv() {}

  static Set<String> containers(Deployment deployment, String manager, String envVar) {
    Set<String> owned = new LinkedHashSet<>();
    List<ManagedFieldsEntry> entries = deployment.getMetadata().getManagedFields();
    if (entries == null) {
      return owned;
    }
    for (ManagedFieldsEntry entry : entries) {
      if (manager.equals(entry.getManager())
          && "Apply".equals(entry.getOperation())
          && entry.getFieldsV1() != null) {
        Map<String, Object> containers =
            path(
                entry.getFieldsV1().getAdditionalProperties(),
                "f:spec",
                "f:template",
                "f:spec",
                "f:containers");
        containers.forEach(
            (key, fields) -> {
              String name = name(key);
              if (name != null && fields instanceof Map<?, ?> map && ownsEnv(map, envVar)) {
                owned.add(name);
              }
            });
      }
    }
    return owned;
  }

  private static boolean ownsEnv(Map<?, ?> container, String envVar) {
    return container.get("f:env") instanceof Map<?, ?> env
        && env.keySet().stream().anyMatch(k -> envVar.equals(name(String.valueOf(k))));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> path(Map<String, Object> fields, String... keys) {
    Map<String, Object> current = fields;
    for (String key : keys) {
      if (current == null || !(current.get(key) instanceof Map<?, ?> next)) {
        return Map.of();
      }
      current = (Map<String, Object>) next;
    }
    return current == null ? Map.of() : current;
  }

  private static String name(String key) {
    Matcher m = NAME_KEY.matcher(key);
    return m.matches() ? m.group(1) : null;
  }
}
