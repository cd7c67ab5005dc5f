package io.runtimepolicy.operator;

import io.javaoperatorsdk.operator.Operator;
import io.runtimepolicy.operator.health.HealthServer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The started pieces of one operator process, stopped in reverse order of starting. */
public final class RunningOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunningOperator.class);

  private final Operator operator;
  private final HealthServer health;
  private final Runnable beforeStop;
  private final List<AutoCloseable> others = new ArrayList<>();

  RunningOperator(
      Operator operator, HealthServer health, Runnable beforeStop, AutoCloseable... others) {
    this.operator = operator;
    this.health = health;
    this.beforeStop = beforeStop;
    this.others.addAll(List.of(others));
  }

  public int healthPort() {
    return health.port();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    beforeStop.run();
    for (AutoCloseable c : others) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Error while stopping {}: {}", c.getClass().getSimpleName(), e.getMessage());
      }
    }
    operator.stop();
    health.close();
  }
}
