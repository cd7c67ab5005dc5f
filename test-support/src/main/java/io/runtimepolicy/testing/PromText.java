package io.runtimepolicy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text exposition: samples with their labels. */
public record PromText(List<Sample> samples) {

  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The operator's {@code /metrics} on its health port, on loopback. */
  public static PromText scrape(int healthPort) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics"))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return parse(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static PromText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String name;
      String rest;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && (space < 0 || brace < space)) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        Matcher m = LABEL.matcher(line.substring(brace, close));
        while (m.find()) {
          labels.put(m.group(1), m.group(2));
        }
        rest = line.substring(close + 1);
      } else {
        name = line.substring(0, space);
        rest = line.substring(space + 1);
      }
      samples.add(new Sample(name, labels, parseValue(rest.trim().split("\\s+")[0])));
    }
    return new PromText(samples);
  }

  /** The sum of every sample named {@code name} whose labels pass {@code filter}. */
  public double sum(String name, Predicate<Sample> filter) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && filter.test(s))
        .mapToDouble(Sample::value)
        .sum();
  }

  public double sum(String name) {
    return sum(name, s -> true);
  }

  public List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static double parseValue(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }
}
