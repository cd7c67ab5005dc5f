package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedValuesTest {

  @Test
  void anEqualKeyGivesBackTheFirstValueAndADifferentOneItsOwn() {
    SharedValues<String, StringBuilder> values = new SharedValues<>();
    StringBuilder first = values.share("a", () -> new StringBuilder("a"));

    assertThat(values.share("a", () -> new StringBuilder("other"))).isSameAs(first);
    assertThat(values.share("b", () -> new StringBuilder("b"))).isNotSameAs(first);
    assertThat(values.size()).isEqualTo(2);
  }

  @Test
  void aValueNoOneUsesIsForgotten() {
    SharedValues<Integer, Object> values = new SharedValues<>();
    List<Object> used = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Object value = values.share(i, Object::new);
      if (i % 10 == 0) {
        used.add(value);
      }
    }

    await("the unused values to be collected")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              System.gc();
              return values.size() == used.size();
            });
    // Those still used are still shared.
    assertThat(values.share(0, Object::new)).isSameAs(used.get(0));
  }
}
