package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WriteDenialsTest {

  private static final KubernetesClientException FORBIDDEN =
      new KubernetesClientException(
          new StatusBuilder().withCode(403).withMessage("cannot patch deployments").build());

  private final Logger logger = (Logger) LoggerFactory.getLogger(WriteDenials.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final WriteDenials denials = new WriteDenials();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void oneWarningPerPolicyWhileDeniedAndOneLineWhenWritesSucceedAgain() {
    IntStream.range(0, 50)
        .parallel()
        .forEach(i -> denials.refused("ns/p", "Deployment", "ns/app-" + i, FORBIDDEN));
    denials.refused("ns/other", "Deployment", "ns/x", FORBIDDEN);
    denials.succeeded("ns/p");
    denials.succeeded("ns/p");

    assertThat(lines.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .extracting(ILoggingEvent::getFormattedMessage)
        .satisfiesExactly(
            first ->
                assertThat(first)
                    .startsWith("Could not write Deployment ns/app-")
                    .contains("of RuntimePolicy ns/p: HTTP 403 cannot patch deployments"),
            other -> assertThat(other).contains("of RuntimePolicy ns/other"),
            back ->
                assertThat(back)
                    .isEqualTo(
                        "Writes of RuntimePolicy ns/p succeed again, 50 refused while denied"));
  }

  @Test
  void aDenialAfterASuccessIsReportedAgain() {
    denials.refused("ns/p", "Deployment", "ns/a", FORBIDDEN);
    denials.succeeded("ns/p");
    denials.refused("ns/p", "Deployment", "ns/a", FORBIDDEN);

    assertThat(lines.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(2);
  }

  @Test
  void onlyForbiddenIsADenial() {
    assertThat(WriteDenials.isDenial(FORBIDDEN)).isTrue();
    assertThat(WriteDenials.isDenial(new KubernetesClientException("conflict", 409, null)))
        .isFalse();
  }
}
