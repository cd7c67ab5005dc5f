package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A class of the operator that keeps a map or a collection in a field is a {@link
 * HeldState.Holder}, so what it keeps per policy, namespace or workload is forgotten with them; or
 * it is listed here with the reason its size is bounded some other way. A new per-policy map
 * without either fails the build.
 */
class HoldersRegisteredTest {

  private static final Map<String, String> BOUNDED_OTHERWISE =
      Map.ofEntries(
          Map.entry("FindingMemo.reported", "inside a policy's entry of PolicyMemos"),
          Map.entry("FindingMemo.current", "inside a policy's entry of PolicyMemos"),
          Map.entry("FindingMemo.settled", "inside a policy's entry of PolicyMemos"),
          Map.entry("FindingMemo.settledNow", "inside a policy's entry of PolicyMemos"),
          Map.entry("PolicyOutcomes.byWorkload", "inside a policy's entry of PolicyMemos"),
          Map.entry(
              "PruningStore.byNamespace", "an informer's cache: the informer removes deletes"),
          Map.entry("SharedValues.values", "weak: a value goes with the last cached copy using it"),
          Map.entry("DefaultPolicyProvisioner.inFlight", "a namespace while its create is queued"),
          Map.entry("RuntimePolicyReconciler.sources", "one per workload kind"),
          Map.entry("PodWorkloads.sources", "the reconciler's, one per workload kind"),
          Map.entry("HeldState.holders", "one per holder"),
          Map.entry("EventQueue.pending", "bounded by its capacity"),
          Map.entry("RunningOperator.others", "fixed at start"),
          Map.entry("Readiness.checks", "fixed at start"),
          Map.entry("EnvReader.env", "the configuration"),
          Map.entry("PolicyCache.byName", "the fixed policies of one offline check, never grown"),
          Map.entry("Report.results", "a value: one policy's report, bounded like its status"));

  @Test
  void everyClassKeepingAMapOrCollectionIsAHolderOrBoundedOtherwise() throws Exception {
    List<Class<?>> classes = operatorClasses();
    assertThat(classes).hasSizeGreaterThan(50);
    List<String> unregistered = new ArrayList<>();
    Map<String, String> exempt = new TreeMap<>();
    for (Class<?> type : classes) {
      for (Field field : collectionFields(type)) {
        String name = type.getSimpleName() + "." + field.getName();
        if (BOUNDED_OTHERWISE.containsKey(name)) {
          exempt.put(name, BOUNDED_OTHERWISE.get(name));
        } else if (!HeldState.Holder.class.isAssignableFrom(type)) {
          unregistered.add(name);
        }
      }
    }
    assertThat(unregistered).as("keep entries, but are no HeldState.Holder").isEmpty();
    assertThat(exempt.keySet())
        .as("exemptions that still exist")
        .containsExactlyInAnyOrderElementsOf(BOUNDED_OTHERWISE.keySet());
  }

  /**
   * Instance fields of a collection type. Records are values, not holders, and so is everything in
   * {@code policy/}, which {@code PolicyPackageImportsTest} keeps pure; {@code webhook/} answers
   * each review from the policy cache and keeps nothing per policy (its server's connection
   * bookkeeping is its own tests' business); {@code check/} is the offline CLI, one run over the
   * files it is given, which watches nothing.
   */
  private static List<Field> collectionFields(Class<?> type) {
    if (type.isRecord()
        || type.isInterface()
        || type.getPackageName().equals("io.runtimepolicy.operator.policy")
        || type.getPackageName().equals("io.runtimepolicy.operator.webhook")
        || type.getPackageName().equals("io.runtimepolicy.operator.check")) {
      return List.of();
    }
    return Stream.of(type.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
        .filter(
            f ->
                Map.class.isAssignableFrom(f.getType())
                    || Collection.class.isAssignableFrom(f.getType()))
        .toList();
  }

  private static List<Class<?>> operatorClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(HeldState.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("io/runtimepolicy/operator"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.');
        classes.add(
            Class.forName(
                name.substring(0, name.length() - ".class".length()),
                false,
                HeldState.class.getClassLoader()));
      }
    }
    return classes;
  }
}
