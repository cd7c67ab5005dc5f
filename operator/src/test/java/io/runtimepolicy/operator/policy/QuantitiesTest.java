package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "500m, 0.5",
    "1, 1",
    "1.5, 1.5",
    "2500m, 2.5",
    "0.5, 0.5",
    "+2, 2",
    ".5, 0.5",
    "1., 1",
    "0, 0",
    "000, 0",
    "007, 7",
    "100Mi, 104857600",
    "1Gi, 1073741824",
    "1G, 1000000000",
    "1e9, 1000000000",
    "1E3, 1000",
    "1e-3, 0.001",
    "1E+3, 1000",
    "1.2e3, 1200",
    "0.5e-1, 0.05",
    "100n, 0.0000001",
    "10u, 0.00001",
    "1k, 1000",
    "1M, 1000000",
    "1T, 1000000000000",
    "2P, 2000000000000000",
    "1E, 1000000000000000000",
    "1Ki, 1024",
    "1Ti, 1099511627776",
    "0.5Mi, 524288",
    "100.035Ki, 102435.84",
    "1.G, 1000000000",
    ".0001k, 0.1",
    "-1, -1",
    "-500m, -0.5",
    "-0, 0",
  })
  void parsesTheKubernetesGrammar(String text, BigDecimal expected) {
    assertThat(Quantities.parse(text)).isEqualByComparingTo(expected);
  }

  @ParameterizedTest(name = "{0} agrees with fabric8")
  @ValueSource(
      strings = {
        "500m", "1", "1.5", "2500m", "100Mi", "1Gi", "1G", "1e9", "1E3", "1e-3", "100n", "10u",
        "1k", "1M", "1Ki", "250m", "64Mi", "3.5Gi"
      })
  void agreesWithFabric8OnCanonicalForms(String text) {
    assertThat(Quantities.parse(text))
        .isEqualByComparingTo(new Quantity(text).getNumericalAmount());
  }

  /** The API server rounds non-zero values up to a whole nano unit (quantity.go, RoundUp). */
  @ParameterizedTest(name = "{0} rounds up to {1}")
  @CsvSource({
    "3.001n, 0.000000004",
    "1.1E-9, 0.000000002",
    "0.0000000001, 0.000000001",
    "0.5e-9, 0.000000001",
    "0.9n, 0.000000001",
    "0.00000012345, 0.000000124",
    "0.000000000001Ki, 0.000000002",
    "-0.9n, -0.000000001",
    "1.9999999999, 2.000000000",
  })
  void roundsUpToNanoLikeTheApiServer(String text, BigDecimal expected) {
    assertThat(Quantities.parse(text)).isEqualByComparingTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"9Ei", "9223372036854775807Ki"})
  void capsBinaryValuesAtTheInt64MaxLikeTheApiServer(String text) {
    assertThat(Quantities.parse(text)).isEqualByComparingTo(BigDecimal.valueOf(Long.MAX_VALUE));
  }

  @Test
  void decimalValuesAreNotCapped() {
    assertThat(Quantities.parse("12E")).isEqualByComparingTo("12000000000000000000");
  }

  @ParameterizedTest(name = "\"{0}\" is invalid")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        " ",
        "abc",
        "1.2.3",
        "1mm",
        "--1",
        "1 m",
        " 1",
        "1 ",
        "m",
        "1e",
        "1e-",
        "-3.01e-",
        "1i",
        ".5i",
        "0.1mi",
        "0.1am",
        "1.1.M",
        "1+1.0M",
        "1e3m",
        "1e3Ki",
        "1Ki3",
        "1ee3",
        ".",
        "+",
        "-",
        "+.",
        "-.",
        "e3",
        "Ki",
        "1E3.5",
        "1,5",
        "1_000",
        "１",
        "٣",
        "1\u00a0",
        "0x10",
        "1kb",
        "1KB",
        "1mi",
        "1e99999999999"
      })
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> Quantities.parse(text)).isInstanceOf(InvalidQuantityException.class);
  }

  /**
   * DESIGN.md lists {@code 1e3m} among accepted forms, but the API server's scanner stops at the
   * exponent digits and then finds {@code m}: ErrFormatWrong. We do what the API server does.
   */
  @Test
  void exponentFormTakesNoFurtherSuffixAsInTheApiServer() {
    assertThatThrownBy(() -> Quantities.parse("1e3m"))
        .isInstanceOf(InvalidQuantityException.class)
        .hasMessageContaining("1e3m");
    assertThat(Quantities.parse("1e3")).isEqualByComparingTo("1000");
    assertThat(Quantities.parse("1e-3")).isEqualByComparingTo("0.001");
  }

  @Test
  void hugeInputsNeitherHangNorThrowAnythingElse() {
    String longDigits = "1" + "0".repeat(100_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          assertThat(Quantities.parse(longDigits + "m").signum()).isPositive();
          assertThat(Quantities.parse("0." + "0".repeat(100_000) + "1"))
              .isEqualByComparingTo("0.000000001");
          assertThat(Quantities.parse("1e2147483647").signum()).isPositive();
          assertThat(Quantities.parse("1e-2147483647")).isEqualByComparingTo("0.000000001");
          assertThat(Quantities.parse("0e2147483647")).isEqualByComparingTo("0");
          assertThat(Quantities.parse("9".repeat(100_000) + "Ei"))
              .isEqualByComparingTo(BigDecimal.valueOf(Long.MAX_VALUE));
          assertThatThrownBy(() -> Quantities.parse(longDigits + "x"))
              .isInstanceOf(InvalidQuantityException.class)
              .message()
              .hasSizeLessThan(200);
          assertThatThrownBy(() -> Quantities.parse("1e-2147483648"))
              .isInstanceOf(InvalidQuantityException.class);
        });
  }

  @Test
  void textOfAFabric8QuantityIsAsWritten() {
    assertThat(Quantities.text(new Quantity("500m"))).isEqualTo("500m");
    assertThat(Quantities.text(new Quantity("1e3"))).isEqualTo("1e3");
    assertThat(Quantities.text(new Quantity("2", null))).isEqualTo("2");
    assertThat(Quantities.text(new Quantity())).isNull();
    assertThat(Quantities.text(null)).isNull();
  }
}
