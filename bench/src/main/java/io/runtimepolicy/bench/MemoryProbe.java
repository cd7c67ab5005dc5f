package io.runtimepolicy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's memory after a full GC, through the JDK's jcmd (which attaches to the jlink runtime
 * too): heap from GC.heap_info right after GC.run, live bytes per class from GC.class_histogram,
 * and RSS and peak RSS from /proc/PID/status.
 *
 * <p>The heap figure ({@code heapLiveBytes}) is the live objects after the full GC: the class
 * histogram's total with its int[] replaced by those of a heap dump. Serial's full GC leaves up to
 * 5% of the old generation as dead wood (MarkSweepDeadRatio), filled with int[] filler objects, so
 * "used" and the raw histogram both grow with the heap's size rather than with what it holds: 6 MB
 * of fillers once looked like 1.3 KB per ungoverned Deployment.
 */
final class MemoryProbe {

  /** One measurement; {@code classes} maps class name to its live instances and bytes. */
  record Sample(
      long heapLiveBytes,
      long oldGenUsedBytes,
      long heapUsedBytes,
      long heapCommittedBytes,
      long liveBytes,
      long rssBytes,
      long peakRssBytes,
      Map<String, Usage> classes) {}

  /** Live instances and bytes of one class. */
  record Usage(long instances, long bytes) {
    Usage minus(Usage other) {
      return new Usage(instances - other.instances, bytes - other.bytes);
    }
  }

  private static final Pattern GENERATION_USED =
      Pattern.compile("(\\S[\\w -]*?)\\s+total (\\d+)K, used (\\d+)K");
  private static final Pattern OLD_GENERATION =
      Pattern.compile("tenured generation|ParOldGen|garbage-first heap");
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)");

  private MemoryProbe() {}

  static Path jcmd() {
    Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(own) ? own : Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/jcmd");
  }

  static Sample measure(long pid) {
    jcmd(pid, "GC.run");
    long heapUsed = 0;
    long heapCommitted = 0;
    long oldGen = -1;
    Matcher used = GENERATION_USED.matcher(jcmd(pid, "GC.heap_info"));
    while (used.find()) {
      heapCommitted += Long.parseLong(used.group(2)) * 1024;
      heapUsed += Long.parseLong(used.group(3)) * 1024;
      if (OLD_GENERATION.matcher(used.group(1)).find()) {
        oldGen = Long.parseLong(used.group(3)) * 1024;
      }
    }
    Map<String, Long> status = procStatus(pid);
    Map<String, Usage> classes = new LinkedHashMap<>();
    long live = 0;
    for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
      Matcher row = HISTOGRAM_ROW.matcher(line);
      Matcher total = HISTOGRAM_TOTAL.matcher(line);
      if (row.find()) {
        classes.put(
            row.group(3), new Usage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))));
      } else if (total.find()) {
        live = Long.parseLong(total.group(1));
      }
    }
    Usage histogramInts = classes.getOrDefault("[I", new Usage(0, 0));
    long heapLiveBytes = live - histogramInts.bytes() + dumpedIntArrays(pid);
    return new Sample(
        heapLiveBytes,
        oldGen,
        heapUsed,
        heapCommitted,
        live,
        status.get("VmRSS"),
        status.get("VmHWM"),
        classes);
  }

  /** The classes whose live bytes grew most from {@code before} to {@code after}. */
  static Map<String, Usage> topGrowth(Sample before, Sample after, int limit) {
    Map<String, Usage> growth = new HashMap<>();
    after
        .classes()
        .forEach(
            (name, usage) ->
                growth.put(
                    name, usage.minus(before.classes().getOrDefault(name, new Usage(0, 0)))));
    return largest(growth, limit);
  }

  /** The classes of {@code sample} with the most live bytes. */
  static Map<String, Usage> topClasses(Sample sample, int limit) {
    return largest(sample.classes(), limit);
  }

  /** The {@code limit} entries of {@code classes} with the most bytes, largest first. */
  private static Map<String, Usage> largest(Map<String, Usage> classes, int limit) {
    Map<String, Usage> top = new LinkedHashMap<>();
    classes.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()))
        .limit(limit)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  /**
   * Native memory by category, committed, from a process started with NativeMemoryTracking: one
   * line per category ({@code Class: 61 MB}), largest first.
   */
  static String nativeMemory(long pid) {
    Matcher category =
        Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)")
            .matcher(jcmd(pid, "VM.native_memory summary"));
    Map<String, Long> committed = new LinkedHashMap<>();
    while (category.find()) {
      committed.put(category.group(1).trim(), Long.parseLong(category.group(2)));
    }
    StringBuilder lines = new StringBuilder();
    committed.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(
            e -> lines.append(String.format("%s: %.1f MiB%n", e.getKey(), e.getValue() / 1024.0)));
    return lines.toString();
  }

  private static long dumpedIntArrays(long pid) {
    try {
      Path dump = Files.createTempFile("operator-heap", ".hprof");
      Files.delete(dump);
      try {
        jcmd(pid, "GC.heap_dump " + dump);
        return HprofIntArrays.liveBytes(dump);
      } finally {
        Files.deleteIfExists(dump);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Long> procStatus(long pid) {
    Map<String, Long> values = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        String[] parts = line.split(":\\s+");
        if (parts.length == 2 && parts[1].endsWith(" kB")) {
          values.put(parts[0], Long.parseLong(parts[1].replace(" kB", "").trim()) * 1024);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }

  private static String jcmd(long pid, String command) {
    try {
      List<String> args = new ArrayList<>(List.of(jcmd().toString(), Long.toString(pid)));
      args.addAll(List.of(command.split(" ")));
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
