package io.runtimepolicy.operator.check;

import java.nio.file.Path;

/**
 * One input as read: a file, or standard input.
 *
 * @param name how messages name it: the path as given (or found under a directory), or {@code -}
 * @param path the file; null for standard input
 * @param text its content, decoded as UTF-8
 */
record Source(String name, Path path, String text) {

  static final String STDIN = "-";

  boolean stdin() {
    return path == null;
  }
}
