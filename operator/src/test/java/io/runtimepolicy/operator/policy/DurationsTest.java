package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "5s, 5000000000",
    "1500ms, 1500000000",
    "1m30s, 90000000000",
    "0.5s, 500000000",
    ".5s, 500000000",
    "1.s, 1000000000",
    "1h, 3600000000000",
    "2h45m, 9900000000000",
    "100us, 100000",
    "100µs, 100000",
    "100μs, 100000",
    "10ns, 10",
    "1.5h, 5400000000000",
    "1h1m1s1ms1us1ns, 3661001001001",
    "+5s, 5000000000",
    "0, 0",
    "+0, 0",
    "0s, 0",
    "005s, 5000000000",
    "1.0000000001s, 1000000000",
    "0.3333333333333333333333h, 1199999999999",
    "2562047h47m16.854775807s, 9223372036854775807",
  })
  void parsesGoDurations(String text, long nanos) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "\"{0}\" is invalid")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        " ",
        "5",
        "s",
        "5x",
        "1m30",
        "5 s",
        " 5s",
        "5s ",
        "5S",
        "5sec",
        ".s",
        ".",
        "+",
        "00",
        "5s5",
        "1e3s",
        "1,5s",
        "５s",
        "2562047h47m16.854775808s",
        "99999999999999999999h",
        "9223372036854775807ns1ns"
      })
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  /** Go accepts a sign; a negative read timeout means nothing, so we refuse it, even -0s. */
  @ParameterizedTest
  @ValueSource(strings = {"-5s", "-0s", "-0", "-1m30s"})
  void rejectsNegativeDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void longInputsDoNotHang() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertThat(Durations.parse("1ns".repeat(100_000))).isEqualTo(Duration.ofNanos(100_000));
          assertThat(Durations.parse("0".repeat(100_000) + "1s")).isEqualTo(Duration.ofSeconds(1));
          assertThat(Durations.parse("1." + "9".repeat(100_000) + "s"))
              .isEqualTo(Duration.ofNanos(1_999_999_999));
          assertThatThrownBy(() -> Durations.parse("9".repeat(100_000) + "s"))
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .message()
              .hasSizeLessThan(200);
        });
  }
}
