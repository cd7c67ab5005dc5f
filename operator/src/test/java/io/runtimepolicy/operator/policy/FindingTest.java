package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FindingTest {

  private static final String NAME_63 = "a".repeat(30) + "-" + "b".repeat(32);

  @Test
  void containerFindingsArePrefixed() {
    Finding finding = Finding.violation("R", "app", "something failed");
    assertThat(finding.message()).isEqualTo("container app: something failed");
    assertThat(finding.severity()).isEqualTo(Finding.Severity.Violation);
    assertThat(Finding.notice("R", null, "about the deployment").message())
        .isEqualTo("about the deployment");
  }

  @Test
  void aLongContainerNameIsShortenedSoTheRuleStaysReadable() {
    assertThat(NAME_63).hasSize(63);
    String detail = "liveness probe timeoutSeconds 10 is not below the app read timeout 5s";
    Finding finding = Finding.violation("R", NAME_63, detail);
    assertThat(finding.message())
        .hasSizeLessThanOrEqualTo(Finding.MAX_MESSAGE_LENGTH)
        .startsWith("container aaaaaaaaaaaa")
        .contains("...: ")
        .endsWith(detail);
    assertThat(finding.container()).isEqualTo(NAME_63);
  }

  @Test
  void anyMessageIsCutAtTheEndWhenStillTooLong() {
    Finding finding = Finding.notice("R", NAME_63, "x".repeat(500));
    assertThat(finding.message()).hasSize(Finding.MAX_MESSAGE_LENGTH).endsWith("...");
    Finding direct = new Finding("R", null, Finding.Severity.Notice, "y".repeat(500));
    assertThat(direct.message()).hasSize(Finding.MAX_MESSAGE_LENGTH).endsWith("...");
  }

  @Test
  void theWebhookPrefixStillFitsUnder120() {
    assertThat("runtimepolicy: ".length() + Finding.MAX_MESSAGE_LENGTH).isLessThan(120);
  }

  @Test
  void cuttingNeverSplitsASurrogatePair() {
    String text = "x".repeat(Finding.MAX_MESSAGE_LENGTH - 4) + "\ud83d\ude00".repeat(10);
    String message = new Finding("R", null, Finding.Severity.Notice, text).message();
    assertThat(Character.isHighSurrogate(message.charAt(message.length() - 4))).isFalse();
  }

  @Test
  void requiresReasonSeverityAndMessage() {
    assertThatThrownBy(() -> new Finding(null, null, Finding.Severity.Notice, "m"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Finding("R", null, null, "m"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Finding("R", null, Finding.Severity.Notice, null))
        .isInstanceOf(NullPointerException.class);
  }
}
