package io.runtimepolicy.operator.check;

/**
 * Input that cannot be checked: a missing file, bytes that are not UTF-8, YAML that does not parse,
 * or a workload whose fields have the wrong types. Reported as {@code FILE:LINE: message}.
 *
 * @param line 1-based; 0 when the problem is the file as a whole
 */
record Unreadable(String file, int line, String message) {

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
  }

  /** Thrown while reading; {@link #problem} is what the user reads. */
  static final class Exception extends java.lang.Exception {
    private final transient Unreadable problem;

    Exception(Unreadable problem) {
      super(problem.toString(), null, false, false);
      this.problem = problem;
    }

    Unreadable problem() {
      return problem;
    }
  }
}
