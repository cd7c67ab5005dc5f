package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.JavaToolOptions.Token;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Arbitrary input, fixed seeds: no undeclared exception, and the merge laws always hold. */
class RandomizedPolicyTest {

  private static final int CASES = 3_000;

  private static final String[] FRAGMENTS = {
    "-XX:ActiveProcessorCount",
    "-XX:ActiveProcessorCount=",
    "-XX:MaxRAMPercentage=",
    "=",
    "16",
    "75.0",
    "-XX:ActiveProcessorCountX=1",
    "-XX:+ActiveProcessorCount",
    "-Xss512k",
    "-Dgreeting=",
    "hello world",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u000b",
    "\f",
    "\"",
    "'",
    "\u00a0",
    "\u2003",
    "é",
    "ß",
    "\ud83d\ude00",
    "\ud83d",
    "\u0000",
    "µs",
    "μs",
    "a",
    "x",
    "1",
    "0",
    ".",
    "+",
    "-",
    "e",
    "E",
    "m",
    "Ki",
    "Mi",
    "n",
    "u",
    "k",
    "s",
    "h",
    "ms",
    "ns",
    "us",
    "9999999999999999999",
    "1e999",
    "١",
    "５",
  };

  private static final String[] OPTIONS = {
    "-XX:ActiveProcessorCount=16",
    "-XX:ActiveProcessorCount",
    "-XX:MaxRAMPercentage=50",
    "\"-XX:ActiveProcessorCount=4\"",
    "-XX:MaxRAMPercentage='1 2'",
    "-Xss512k",
    "-Dgreeting=\"hello world\"",
    "-Dq='it is'",
    "-Dopen=\"never closed",
    "-XX:+UseG1GC",
    "-Dx=-XX:ActiveProcessorCount=1",
    "-XX:ActiveProcessorCountX=1",
    "-Dé=ü",
    "\ud83d\ude00",
  };
  private static final String[] GAPS = {" ", "  ", "\t", "\n", " \t ", "\r\n"};
  private static final String QUANTITY_CHARS = "0123456789.+-eEinumkKMGTP ";
  private static final String DURATION_CHARS = "0123456789.+-nsuµμmh ";

  private static final LinkedHashMap<String, String> CPU3 = JavaToolOptionsTest.managed("3", null);
  private static final LinkedHashMap<String, String> CPU2_RAM62 =
      JavaToolOptionsTest.managed("2", "62.5");

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 42L, 20240607L})
  void optionsFunctionsNeverThrowAndKeepTheirLaws(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      String value = random.nextBoolean() ? arbitrary(random) : options(random);
      assertTokensCoverTheValue(value);
      assertMergeLaws(value, random.nextBoolean() ? CPU3 : CPU2_RAM62);
      JavaToolOptions.managedFlags(value);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7L, 99L, 123456789L})
  void parsersThrowOnlyTheirDeclaredException(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      String value = arbitrary(random);
      try {
        Quantities.parse(random.nextBoolean() ? value : from(QUANTITY_CHARS, random));
      } catch (InvalidQuantityException expected) {
        // declared
      }
      try {
        Durations.parse(random.nextBoolean() ? value : from(DURATION_CHARS, random));
      } catch (IllegalArgumentException expected) {
        assertThat(expected).isExactlyInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3L, 2026L})
  void theEngineNeverThrowsForArbitraryPodsOfEitherRuntimeAndItsValuesAreStable(long seed) {
    Random random = new Random(seed);
    String[] tuning = {"enabled", "Enabled", "", "enabled "};
    String[] variables = {"JAVA_TOOL_OPTIONS", "GOMAXPROCS", "GOMEMLIMIT", "X"};
    for (int i = 0; i < CASES / 3; i++) {
      Map<String, String> annotations = new HashMap<>();
      annotations.put(Annotations.JAVA_TUNING, tuning[random.nextInt(tuning.length)]);
      annotations.put(Annotations.GO_TUNING, tuning[random.nextInt(tuning.length)]);
      if (random.nextBoolean()) {
        annotations.put(Annotations.GO_CONTAINERS, random.nextBoolean() ? "b" : arbitrary(random));
      }
      if (random.nextBoolean()) {
        annotations.put(Annotations.JAVA_CONTAINERS, random.nextBoolean() ? "a,b" : "a");
      }
      if (random.nextInt(4) == 0) {
        annotations.put(Annotations.MANAGED_ENV, arbitrary(random));
      }
      PodSpecBuilder pod = new PodSpecBuilder();
      for (String name : List.of("a", "b")) {
        ContainerBuilder container = new ContainerBuilder().withName(name);
        container.withNewResources().endResources();
        for (String resource : List.of("cpu", "memory")) {
          if (random.nextBoolean()) {
            String text = random.nextBoolean() ? from(QUANTITY_CHARS, random) : "512Mi";
            container
                .editResources()
                .addToLimits(resource, CpuPolicyTest.quantity(text))
                .endResources();
          }
        }
        for (int j = random.nextInt(3); j > 0; j--) {
          container
              .addNewEnv()
              .withName(variables[random.nextInt(variables.length)])
              .withValue(random.nextBoolean() ? arbitrary(random) : options(random))
              .endEnv();
        }
        pod.addToContainers(container.build());
      }
      RuntimePolicySpec spec = new RuntimePolicySpec();
      spec.getGo().setLeaveLimitToRuntime(random.nextBoolean());
      spec.getGo().setMemoryLimitPercent(random.nextBoolean() ? null : 1 + random.nextInt(100));
      spec.getGo().setMaxProcessors(random.nextBoolean() ? null : 1 + random.nextInt(4));
      PolicySettings settings = PolicySettings.from(spec);

      TuningPlan plan = Tuning.plan(settings, "default", annotations, pod.build());
      Tuning.plan(null, null, annotations, pod.build());
      for (ContainerEvaluation container : plan.evaluation().containers()) {
        for (EnvChange change : container.env()) {
          String desired = container.desired().get(change.variable());
          assertThat(change.valueFor(desired)).as("stable: %s", change).isEqualTo(desired);
        }
      }
    }
  }

  private static void assertTokensCoverTheValue(String value) {
    int previousEnd = 0;
    for (Token token : JavaToolOptions.tokenize(value)) {
      assertThat(token.start()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(value.substring(token.start(), token.end())).isEqualTo(token.text());
      assertThat(value.substring(previousEnd, token.start())).isBlank();
      assertThat(token.text()).isNotEmpty();
      previousEnd = token.end();
    }
  }

  private static void assertMergeLaws(String value, LinkedHashMap<String, String> managed) {
    String merged = JavaToolOptions.merge(value, managed);
    assertThat(JavaToolOptions.merge(merged, managed))
        .as("idempotent: [%s]", value)
        .isSameAs(merged);
    assertThat(JavaToolOptions.managedFlags(merged))
        .as("flags set: [%s]", value)
        .containsAllEntriesOf(managed);
    assertThat(userTokens(merged, managed))
        .as("user tokens kept: [%s]", value)
        .isEqualTo(userTokens(value, managed));
    // A value with no option at all merges to just the flags, so nothing of it comes back.
    boolean noOptions = JavaToolOptions.tokenize(value).isEmpty();
    String expectedStrip = noOptions ? "" : JavaToolOptions.strip(value);
    assertThat(JavaToolOptions.strip(merged))
        .as("strip undoes merge: [%s]", value)
        .isEqualTo(expectedStrip);
    if (JavaToolOptions.managedFlags(value).isEmpty()) {
      assertThat(JavaToolOptions.strip(value)).isSameAs(value);
    }
  }

  private static List<String> userTokens(String value, LinkedHashMap<String, String> managed) {
    return JavaToolOptions.tokenize(value).stream()
        .filter(token -> token.flag(managed.keySet()) == null)
        .map(Token::text)
        .toList();
  }

  private static String options(Random random) {
    StringBuilder value = new StringBuilder();
    int options = random.nextInt(7);
    for (int i = 0; i < options; i++) {
      if (i > 0 || random.nextInt(4) == 0) {
        value.append(GAPS[random.nextInt(GAPS.length)]);
      }
      value.append(OPTIONS[random.nextInt(OPTIONS.length)]);
    }
    return random.nextInt(4) == 0 ? value + GAPS[random.nextInt(GAPS.length)] : value.toString();
  }

  private static String from(String alphabet, Random random) {
    StringBuilder value = new StringBuilder();
    int length = 1 + random.nextInt(8);
    for (int i = 0; i < length; i++) {
      value.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return value.toString();
  }

  private static String arbitrary(Random random) {
    StringBuilder value = new StringBuilder();
    int parts = random.nextInt(12);
    for (int i = 0; i < parts; i++) {
      if (random.nextInt(5) == 0) {
        value.append((char) random.nextInt(0x3000));
      } else {
        value.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
    }
    return value.toString();
  }
}
