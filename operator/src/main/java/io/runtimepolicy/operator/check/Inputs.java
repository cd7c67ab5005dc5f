package io.runtimepolicy.operator.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The paths of {@code -f}: files as given, directories searched (recursively, in name order) for
 * {@code *.yaml}, {@code *.yml} and {@code *.json}, and {@code -} for standard input.
 */
final class Inputs {

  private Inputs() {}

  /** Every source; what cannot be read goes to {@code problems} instead. */
  static List<Source> read(List<String> paths, InputStream stdin, List<Unreadable> problems) {
    List<Source> sources = new ArrayList<>();
    for (String given : paths) {
      if (Source.STDIN.equals(given)) {
        try {
          sources.add(new Source(Source.STDIN, null, decode(given, stdin.readAllBytes())));
        } catch (IOException | Unreadable.Exception e) {
          problems.add(problem(given, e));
        }
        continue;
      }
      for (Path file : files(given, problems)) {
        try {
          sources.add(new Source(file.toString(), file, decode(file.toString(), bytes(file))));
        } catch (IOException | Unreadable.Exception e) {
          problems.add(problem(file.toString(), e));
        }
      }
    }
    return sources;
  }

  private static List<Path> files(String given, List<Unreadable> problems) {
    Path path = Path.of(given);
    if (!Files.exists(path)) {
      problems.add(new Unreadable(given, 0, "no such file or directory"));
      return List.of();
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).filter(Inputs::isManifest).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      problems.add(new Unreadable(given, 0, "cannot list the directory: " + e.getMessage()));
      return List.of();
    }
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static byte[] bytes(Path file) throws IOException {
    return Files.readAllBytes(file);
  }

  // Strict: a byte that is not UTF-8 is an error, so fix can never write back altered bytes.
  private static String decode(String name, byte[] bytes) throws Unreadable.Exception {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Unreadable.Exception(new Unreadable(name, 0, "not UTF-8 text"));
    }
  }

  private static Unreadable problem(String name, Exception e) {
    if (e instanceof Unreadable.Exception unreadable) {
      return unreadable.problem();
    }
    return new Unreadable(name, 0, "cannot read: " + e.getMessage());
  }
}
