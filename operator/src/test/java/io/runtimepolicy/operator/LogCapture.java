package io.runtimepolicy.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one logger (and those below it) logs while open; closing puts the logger back as it was, so
 * no later test class in the same JVM keeps feeding it.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level level;
  private final boolean additive;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  private LogCapture(Logger logger, Level captured) {
    this.logger = logger;
    this.level = logger.getLevel();
    this.additive = logger.isAdditive();
    lines.start();
    logger.addAppender(lines);
    if (captured != null) {
      logger.setLevel(captured);
      // Debug lines are for the test to read, not for the console.
      logger.setAdditive(captured.isGreaterOrEqual(Level.INFO));
    }
  }

  /** From {@code level} up (null: whatever the logger's configuration lets through). */
  public static LogCapture of(String name, Level level) {
    return new LogCapture((Logger) LoggerFactory.getLogger(name), level);
  }

  public List<ILoggingEvent> events() {
    return List.copyOf(lines.list);
  }

  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(lines);
    logger.setLevel(level);
    logger.setAdditive(additive);
  }
}
