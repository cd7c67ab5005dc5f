package io.runtimepolicy.operator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runtimepolicy.operator.policy.Durations;
import io.runtimepolicy.operator.policy.InvalidQuantityException;
import io.runtimepolicy.operator.policy.JavaToolOptions;
import io.runtimepolicy.operator.policy.Quantities;
import java.util.LinkedHashMap;

/**
 * The parsers of user text, fuzzed. Under {@code make test} each replays the inputs committed in
 * {@code ParsersFuzzTestInputs/<method>/}; {@code make fuzz} runs them coverage-guided.
 */
class ParsersFuzzTest {

  /** Any text: a value or InvalidQuantityException, nothing else. */
  @FuzzTest(maxDuration = "2m")
  void quantities(FuzzedDataProvider data) {
    try {
      assertThat(Quantities.parse(data.consumeRemainingAsString())).isNotNull();
    } catch (InvalidQuantityException expected) {
      // the documented answer to bad input
    }
  }

  /** Any text: a non-negative duration or IllegalArgumentException, nothing else. */
  @FuzzTest(maxDuration = "2m")
  void durations(FuzzedDataProvider data) {
    try {
      assertThat(Durations.parse(data.consumeRemainingAsString()).isNegative()).isFalse();
    } catch (IllegalArgumentException expected) {
      // the documented answer to bad input
    }
  }

  /**
   * The options laws on any text: tokenizing never throws, merging is idempotent, and stripping
   * what was merged into options without managed flags gives the options back as written.
   */
  @FuzzTest(maxDuration = "2m")
  void options(FuzzedDataProvider data) {
    int processors = data.consumeInt(1, 4096);
    boolean withRam = data.consumeBoolean();
    String user = data.consumeRemainingAsString();
    LinkedHashMap<String, String> managed = new LinkedHashMap<>();
    managed.put(JavaToolOptions.ACTIVE_PROCESSOR_COUNT, Integer.toString(processors));
    if (withRam) {
      managed.put(JavaToolOptions.MAX_RAM_PERCENTAGE, "75.0");
    }

    JavaToolOptions.tokenize(user);
    String merged = JavaToolOptions.merge(user, managed);

    assertThat(JavaToolOptions.merge(merged, managed)).isEqualTo(merged);
    assertThat(JavaToolOptions.managedFlags(merged))
        .containsEntry(JavaToolOptions.ACTIVE_PROCESSOR_COUNT, Integer.toString(processors));
    if (JavaToolOptions.managedFlags(user).isEmpty() && !JavaToolOptions.tokenize(user).isEmpty()) {
      assertThat(JavaToolOptions.strip(merged)).isEqualTo(user);
    }
  }
}
