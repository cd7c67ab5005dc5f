package io.runtimepolicy.operator.policy;

import java.time.Duration;

/** The app read timeout in force for a Deployment; {@code duration} null when none parses. */
record ReadTimeout(Duration duration, String text) {}
