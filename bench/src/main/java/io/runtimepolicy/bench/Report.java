package io.runtimepolicy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of a run, printed as a table and written, with the details behind them, as JSON. */
final class Report {

  private final Map<String, Object> machine = new LinkedHashMap<>();
  private final Map<String, Object> options = new LinkedHashMap<>();
  private final List<Figure> figures = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final List<String> phases = new ArrayList<>();

  /**
   * Marks the start of a phase, with the machine's load average then: other builds may share the
   * machine, and the JSON should say how busy it was.
   */
  void phase(String name) {
    String load;
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      load = "unknown";
    }
    String line = Instant.now() + " " + name + " (loadavg " + load + ")";
    phases.add(line);
    System.out.printf("%nbench: === %s ===%n", line);
  }

  void machine(String key, Object value) {
    machine.put(key, value);
  }

  void option(String key, Object value) {
    options.put(key, value);
  }

  synchronized void add(Figure figure) {
    figures.add(figure);
    System.out.printf(
        "bench: %s / %s = %s%s%n",
        figure.section(),
        figure.name(),
        figure.formattedValue(),
        figure.baseline() == null ? "" : ", baseline " + figure.formattedBaseline());
  }

  synchronized void detail(String key, Object value) {
    details.put(key, value);
  }

  List<Figure> figures() {
    return List.copyOf(figures);
  }

  void printTable(PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "section", "figure", "value", "baseline (same run)", "ratio", "target", "met"
        });
    for (Figure f : figures) {
      rows.add(
          new String[] {
            f.section(),
            f.name(),
            f.formattedValue(),
            f.formattedBaseline(),
            f.ratio() == null ? "" : String.format("%.2fx", f.ratio()),
            f.target() == null ? "" : f.target(),
            f.pass() == null ? "" : f.pass() ? "yes" : "NO"
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", row[i]))
            .append(i + 1 < row.length ? " | " : "");
      }
      out.println(line.toString().stripTrailing());
    }
  }

  void writeJson(Path file) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("options", options);
    json.put("phases", phases);
    json.put("figures", figures);
    json.put("details", details);
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper()
        .findAndRegisterModules()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), json);
  }
}
