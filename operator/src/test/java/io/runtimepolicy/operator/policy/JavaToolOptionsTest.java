package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.JavaToolOptions.ACTIVE_PROCESSOR_COUNT;
import static io.runtimepolicy.operator.policy.JavaToolOptions.MAX_RAM_PERCENTAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.runtimepolicy.operator.policy.JavaToolOptions.Token;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JavaToolOptionsTest {

  private static final LinkedHashMap<String, String> CPU2 = managed("2", null);
  private static final LinkedHashMap<String, String> CPU2_RAM75 = managed("2", "75.0");

  static LinkedHashMap<String, String> managed(String processors, String ramPercentage) {
    LinkedHashMap<String, String> managed = new LinkedHashMap<>();
    managed.put(ACTIVE_PROCESSOR_COUNT, processors);
    if (ramPercentage != null) {
      managed.put(MAX_RAM_PERCENTAGE, ramPercentage);
    }
    return managed;
  }

  @Test
  void tokenizesLikeTheJvm() {
    String value = " -Dgreeting=\"hello world\"\t-Da='x y' \"-Dq=1 2\"  -Xss512k\n";
    List<Token> tokens = JavaToolOptions.tokenize(value);
    assertThat(tokens)
        .extracting(Token::text)
        .containsExactly("-Dgreeting=\"hello world\"", "-Da='x y'", "\"-Dq=1 2\"", "-Xss512k");
    assertThat(tokens)
        .extracting(Token::unquoted)
        .containsExactly("-Dgreeting=hello world", "-Da=x y", "-Dq=1 2", "-Xss512k");
    assertThat(tokens.get(0).start()).isEqualTo(1);
    assertThat(tokens.get(3).end()).isEqualTo(value.length() - 1);
  }

  @Test
  void quotesNestAndUnterminatedQuotesRunToTheEnd() {
    assertThat(JavaToolOptions.tokenize("-Da=\"it's\" -Db='say \"hi\"'"))
        .extracting(Token::unquoted)
        .containsExactly("-Da=it's", "-Db=say \"hi\"");
    List<Token> open = JavaToolOptions.tokenize("-Xss1m -Dx=\"a b  c");
    assertThat(open).extracting(Token::text).containsExactly("-Xss1m", "-Dx=\"a b  c");
    assertThat(open.get(1).hasOpenQuote()).isTrue();
    assertThat(open.get(0).hasOpenQuote()).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t\n\r\f\u000b"})
  void blankValuesHaveNoTokens(String value) {
    assertThat(JavaToolOptions.tokenize(value)).isEmpty();
  }

  @Test
  void onlyAsciiWhitespaceSeparatesAsInTheJvm() {
    assertThat(JavaToolOptions.tokenize("-Da=x\u00a0-Db=y\u2003-Dc"))
        .extracting(Token::text)
        .containsExactly("-Da=x\u00a0-Db=y\u2003-Dc");
  }

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "-Xss512k -XX:ActiveProcessorCount=16 | -Xss512k -XX:ActiveProcessorCount=2",
        "`` | -XX:ActiveProcessorCount=2",
        "-Xss512k | -Xss512k -XX:ActiveProcessorCount=2",
        "-XX:ActiveProcessorCount | -XX:ActiveProcessorCount=2",
        "-XX:ActiveProcessorCount=4 -Xss1m -XX:ActiveProcessorCount=8"
            + " | -XX:ActiveProcessorCount=2 -Xss1m",
        "-XX:ActiveProcessorCount=4\t\t-XX:ActiveProcessorCount=8  -Xss1m"
            + " | -XX:ActiveProcessorCount=2  -Xss1m",
        "`-Da  -XX:ActiveProcessorCount=1\t-Db` | `-Da  -XX:ActiveProcessorCount=2\t-Db`",
        "-Dgreeting=\"hello world\" | -Dgreeting=\"hello world\" -XX:ActiveProcessorCount=2",
        "-Dmsg='it  is' | -Dmsg='it  is' -XX:ActiveProcessorCount=2",
        "`-Xss1m  ` | `-Xss1m -XX:ActiveProcessorCount=2  `",
        "`  -Xss1m` | `  -Xss1m -XX:ActiveProcessorCount=2`",
        "`   ` | -XX:ActiveProcessorCount=2",
        "\"-XX:ActiveProcessorCount=16\" | -XX:ActiveProcessorCount=2",
        "-XX:ActiveProcessorCount=\"16\" | -XX:ActiveProcessorCount=2",
        "-XX:ActiveProcessorCountX=3 | -XX:ActiveProcessorCountX=3 -XX:ActiveProcessorCount=2",
        "-XX:+ActiveProcessorCount | -XX:+ActiveProcessorCount -XX:ActiveProcessorCount=2",
        "-Dx=-XX:ActiveProcessorCount=3 | -Dx=-XX:ActiveProcessorCount=3"
            + " -XX:ActiveProcessorCount=2",
        "-Xss1m -Dx=\"a b | -Xss1m -XX:ActiveProcessorCount=2 -Dx=\"a b",
        "`-Xss1m\t-Dx=\"a b` | `-Xss1m\t-XX:ActiveProcessorCount=2\t-Dx=\"a b`",
        "-Dx=\"a b | -XX:ActiveProcessorCount=2 -Dx=\"a b",
        "-XX:ActiveProcessorCount=\"3 -Dy | -XX:ActiveProcessorCount=2",
      })
  void mergeReplacesInPlaceAndPreservesTheRestAsWritten(String current, String expected) {
    assertThat(JavaToolOptions.merge(current, CPU2)).isEqualTo(expected);
  }

  @Test
  void mergeOfNullIsJustTheFlags() {
    assertThat(JavaToolOptions.merge(null, CPU2)).isEqualTo("-XX:ActiveProcessorCount=2");
    assertThat(JavaToolOptions.merge(null, CPU2_RAM75))
        .isEqualTo("-XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=75.0");
  }

  @Test
  void mergeAppendsMissingFlagsInTheGivenOrder() {
    assertThat(JavaToolOptions.merge("-XX:MaxRAMPercentage=50 -Xss1m", CPU2_RAM75))
        .isEqualTo("-XX:MaxRAMPercentage=75.0 -Xss1m -XX:ActiveProcessorCount=2");
    assertThat(JavaToolOptions.merge("-Xss1m", CPU2_RAM75))
        .isEqualTo("-Xss1m -XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=75.0");
  }

  @Test
  void flagsTheCallerDoesNotManageAreTheUsers() {
    assertThat(JavaToolOptions.merge("-XX:MaxRAMPercentage=50", CPU2))
        .isEqualTo("-XX:MaxRAMPercentage=50 -XX:ActiveProcessorCount=2");
    assertThat(JavaToolOptions.merge("-Xss1m", new LinkedHashMap<>())).isEqualTo("-Xss1m");
    assertThat(JavaToolOptions.merge(null, null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-XX:ActiveProcessorCount=2",
        "-Xss1m -XX:ActiveProcessorCount=2  ",
        "\t-XX:ActiveProcessorCount=2 -Dgreeting=\"hello world\"",
      })
  void mergeReturnsTheSameStringWhenNothingChanges(String current) {
    String copy = new String(current);
    assertThat(JavaToolOptions.merge(copy, CPU2)).isSameAs(copy);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-Xss512k -XX:ActiveProcessorCount=16",
        "-XX:ActiveProcessorCount -XX:ActiveProcessorCount=3 -XX:MaxRAMPercentage=1",
        "  -Da   -Db\t",
        "-Dx=\"open",
        "-XX:MaxRAMPercentage=\"50",
      })
  void mergeIsIdempotent(String current) {
    String once = JavaToolOptions.merge(current, CPU2_RAM75);
    assertThat(JavaToolOptions.merge(once, CPU2_RAM75)).isSameAs(once);
    assertThat(JavaToolOptions.managedFlags(once)).containsExactlyInAnyOrderEntriesOf(CPU2_RAM75);
  }

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "-Xss512k -XX:ActiveProcessorCount=16 | -Xss512k",
        "-XX:ActiveProcessorCount=16 -Xss512k | -Xss512k",
        "`  -XX:ActiveProcessorCount=16\t-Xss512k` | `  -Xss512k`",
        "`-Da  -XX:ActiveProcessorCount=1\t-Db ` | `-Da\t-Db `",
        "-XX:ActiveProcessorCount=1 -XX:MaxRAMPercentage=75.0 | ``",
        "`  -XX:MaxRAMPercentage=75.0  ` | ``",
        "-Da -XX:ActiveProcessorCount -Db -XX:MaxRAMPercentage=\"5\" | -Da -Db",
        "`-Dgreeting=\"hello  world\"` | `-Dgreeting=\"hello  world\"`",
        "`   ` | `   `",
        "`` | ``",
      })
  void stripRemovesOnlyManagedFlags(String current, String expected) {
    assertThat(JavaToolOptions.strip(current)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-Xss512k",
        "-Dgreeting=\"hello world\" -Dname='a  b'",
        "  -Xss1m\t\t-Da  ",
        "-Dx=\"open quote",
        "-Da\t-Dx='open quote",
        "-XX:MaxRAMPercentage=50 -Xss1m",
      })
  void stripUndoesMergeExactly(String original) {
    String merged = JavaToolOptions.merge(original, CPU2_RAM75);
    assertThat(merged).isNotEqualTo(original);
    assertThat(JavaToolOptions.strip(merged)).isEqualTo(JavaToolOptions.strip(original));
    if (JavaToolOptions.managedFlags(original).isEmpty()) {
      assertThat(JavaToolOptions.strip(merged)).isEqualTo(original);
    }
  }

  @Test
  void stripOfNullIsEmptyAndWithoutFlagsIsTheSameString() {
    assertThat(JavaToolOptions.strip(null)).isEmpty();
    String value = new String("-Xss1m");
    assertThat(JavaToolOptions.strip(value)).isSameAs(value);
  }

  @Test
  void managedFlagsLastOccurrenceWinsLikeTheJvm() {
    Map<String, String> flags =
        JavaToolOptions.managedFlags(
            "-XX:ActiveProcessorCount=16 -XX:MaxRAMPercentage='50' -XX:ActiveProcessorCount=4");
    assertThat(flags)
        .containsExactly(
            Map.entry(ACTIVE_PROCESSOR_COUNT, "4"), Map.entry(MAX_RAM_PERCENTAGE, "50"));
    assertThat(JavaToolOptions.managedFlags("-XX:ActiveProcessorCount"))
        .containsExactly(Map.entry(ACTIVE_PROCESSOR_COUNT, ""));
    assertThat(JavaToolOptions.managedFlags("-Xss1m -XX:ActiveProcessorCountX=1")).isEmpty();
    assertThat(JavaToolOptions.managedFlags(null)).isEmpty();
  }

  @Test
  void literalValueIsWhatTheContainerSeesTheLastEntryWinning() {
    Container twice =
        new ContainerBuilder()
            .withName("app")
            .addNewEnv()
            .withName(JTO)
            .withValue("-Xss1m")
            .endEnv()
            .addNewEnv()
            .withName(JTO)
            .withValue("-Xss2m")
            .endEnv()
            .build();
    Container fromConfigMap =
        new ContainerBuilder()
            .withName("app")
            .addNewEnv()
            .withName(JTO)
            .withValue("-Xss1m")
            .endEnv()
            .addNewEnv()
            .withName(JTO)
            .withNewValueFrom()
            .withNewConfigMapKeyRef("opts", "jvm", false)
            .endValueFrom()
            .endEnv()
            .build();
    Container noValue =
        new ContainerBuilder().withName("app").addNewEnv().withName(JTO).endEnv().build();

    assertThat(JavaToolOptions.literalValue(twice, JTO)).contains("-Xss2m");
    assertThat(JavaToolOptions.literalValue(fromConfigMap, JTO)).isEmpty();
    assertThat(JavaToolOptions.literalValue(noValue, JTO)).contains("");
    assertThat(JavaToolOptions.literalValue(new ContainerBuilder().withName("app").build(), JTO))
        .isEmpty();
  }

  private static final String JTO = "JAVA_TOOL_OPTIONS";
}
