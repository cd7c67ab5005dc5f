package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnnotationsTest {

  private static Map<String, String> annotations(String key, String value) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(key, value);
    return annotations;
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "Enabled", "ENABLED", " enabled", "enabled ", "true", "disabled"})
  void onlyExactlyEnabledGoverns(String value) {
    assertThat(Annotations.isGoverned(annotations(Annotations.JAVA_TUNING, value))).isFalse();
    assertThat(Annotations.governingPolicy(annotations(Annotations.JAVA_TUNING, value))).isEmpty();
  }

  @ParameterizedTest
  @NullSource
  void missingAnnotationsAreNotGoverned(Map<String, String> none) {
    assertThat(Annotations.isGoverned(none)).isFalse();
    assertThat(Annotations.policyName(none)).isEqualTo("default");
    assertThat(Annotations.governingPolicy(none)).isEmpty();
    assertThat(Annotations.containerNames(none)).isEmpty();
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      nullValues = "-",
      quoteCharacter = '`',
      value = {
        "-, default",
        "``, default",
        "`  `, default",
        "team-a, team-a",
        "` team-a `, team-a"
      })
  void policyNameDefaultsAndTrims(String value, String expected) {
    Map<String, String> annotations = annotations(Annotations.POLICY, value);
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    assertThat(Annotations.isGoverned(annotations)).isTrue();
    assertThat(Annotations.policyName(annotations)).isEqualTo(expected);
    assertThat(Annotations.governingPolicy(annotations)).contains(expected);
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "app,worker | app;worker",
        "` app , worker ` | app;worker",
        "app,,app, | app",
        "`  ,  ` | ``",
        "`` | ``",
      })
  void containerNamesAreTrimmedAndDeduplicated(String value, String expected) {
    assertThat(Annotations.containerNames(annotations(Annotations.CONTAINERS, value)))
        .containsExactly(expected.isEmpty() ? new String[0] : expected.split(";"));
  }
}
