package io.runtimepolicy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's memory after a full GC, through the JDK's jcmd (which attaches to the jlink runtime
 * too): heap used from GC.heap_info right after GC.run, live bytes per class from
 * GC.class_histogram, and RSS and peak RSS from /proc/PID/status.
 */
final class MemoryProbe {

  /** One measurement; {@code classes} maps class name to live bytes. */
  record Sample(long heapUsedBytes, long liveBytes, long rssBytes, long peakRssBytes, Map<String, Long> classes) {}

  private static final Pattern GENERATION_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)");

  private MemoryProbe() {}

  static Path jcmd() {
    Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(own) ? own : Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/jcmd");
  }

  static Sample measure(long pid) {
    jcmd(pid, "GC.run");
    long heapUsed = 0;
    Matcher used = GENERATION_USED.matcher(jcmd(pid, "GC.heap_info"));
    while (used.find()) {
      heapUsed += Long.parseLong(used.group(1)) * 1024;
    }
    Map<String, Long> status = procStatus(pid);
    Map<String, Long> classes = new LinkedHashMap<>();
    long live = 0;
    for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
      Matcher row = HISTOGRAM_ROW.matcher(line);
      Matcher total = HISTOGRAM_TOTAL.matcher(line);
      if (row.find()) {
        classes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
      } else if (total.find()) {
        live = Long.parseLong(total.group(1));
      }
    }
    return new Sample(heapUsed, live, status.get("VmRSS"), status.get("VmHWM"), classes);
  }

  /** The classes whose live bytes grew most from {@code before} to {@code after}. */
  static Map<String, Long> topGrowth(Sample before, Sample after, int limit) {
    Map<String, Long> growth = new HashMap<>();
    after.classes().forEach((name, bytes) -> growth.put(name, bytes - before.classes().getOrDefault(name, 0L)));
    Map<String, Long> top = new LinkedHashMap<>();
    growth.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
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
      Process process = new ProcessBuilder(jcmd().toString(), Long.toString(pid), command).redirectErrorStream(true).start();
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
