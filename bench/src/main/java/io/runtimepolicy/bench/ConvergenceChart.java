package io.runtimepolicy.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Convergence time against N, log-log, one line per way of converging: Java2D to PNG, headless.
 * BenchMain draws it after the convergence runs; {@code main(json)} redraws it from a run's JSON.
 */
public final class ConvergenceChart {

  private static final int W = 900;
  private static final int H = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 330;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;

  private record Series(
      String label, Color color, ToDoubleFunction<ConvergenceBench.Result> seconds) {}

  private static final List<Series> SERIES =
      List.of(
          new Series(
              "reconciler (policy created over N)",
              new Color(0xD62728),
              ConvergenceBench.Result::operatorSeconds),
          new Series(
              "reconciler, last Event written",
              new Color(0xE377C2),
              ConvergenceBench.Result::operatorEventsSeconds),
          new Series(
              "plain SSA loop (limit)", new Color(0x1F77B4), ConvergenceBench.Result::limitSeconds),
          new Series(
              "admission, N created at once",
              new Color(0xFF7F0E),
              ConvergenceBench.Result::atOnceSeconds),
          new Series(
              "create loop + plain loop",
              new Color(0x2CA02C),
              r -> r.createSeconds() + r.limitSeconds()),
          new Series(
              "plain loop, 1 thread", new Color(0x9467BD), ConvergenceBench.Result::serialSeconds),
          new Series(
              "1 thread, apply + Event",
              new Color(0x8C564B),
              ConvergenceBench.Result::serialWithEventsSeconds));

  private ConvergenceChart() {}

  static void write(List<ConvergenceBench.Result> results, int threads, Path png)
      throws IOException {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double minN = results.stream().mapToDouble(ConvergenceBench.Result::n).min().orElse(1) / 2;
    double maxN = results.stream().mapToDouble(ConvergenceBench.Result::n).max().orElse(10) * 2;
    double maxS =
        SERIES.stream()
                .flatMap(s -> results.stream().map(r -> s.seconds().applyAsDouble(r)))
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1)
            * 1.5;
    double minS =
        SERIES.stream()
                .flatMap(s -> results.stream().map(r -> s.seconds().applyAsDouble(r)))
                .mapToDouble(Double::doubleValue)
                .min()
                .orElse(1)
            / 1.5;
    Axis x = new Axis(minN, maxN, LEFT, W - RIGHT);
    Axis y = new Axis(minS, maxS, H - BOTTOM, TOP);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    grid(g, x, y);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(
        "Convergence time against N (log-log; client loops use " + threads + " threads)", LEFT, 30);
    int legendY = TOP + 10;
    for (Series s : SERIES) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2.5f));
      int[] px = results.stream().mapToInt(r -> x.at(r.n())).toArray();
      int[] py = results.stream().mapToInt(r -> y.at(s.seconds().applyAsDouble(r))).toArray();
      g.drawPolyline(px, py, px.length);
      for (int i = 0; i < px.length; i++) {
        g.fillOval(px[i] - 4, py[i] - 4, 8, 8);
      }
      g.fillRect(W - RIGHT + 20, legendY - 9, 14, 10);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(s.label(), W - RIGHT + 40, legendY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.drawString(
          results.stream()
              .map(r -> String.format("N=%d: %.2f s", r.n(), s.seconds().applyAsDouble(r)))
              .reduce((a, b) -> a + ", " + b)
              .orElse(""),
          W - RIGHT + 40,
          legendY + 14);
      legendY += 40;
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  /** Redraws the chart of a run: {@code ConvergenceChart RUN.json} writes RUN-convergence.png. */
  public static void main(String[] args) throws IOException {
    Path json = Path.of(args[0]);
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var run = mapper.readTree(json.toFile());
    List<ConvergenceBench.Result> results =
        mapper.convertValue(
            run.path("details").path("convergence"),
            mapper
                .getTypeFactory()
                .constructCollectionType(List.class, ConvergenceBench.Result.class));
    write(results, run.path("options").path("clientThreads").asInt(), BenchMain.chartPath(json));
  }

  private static void grid(Graphics2D g, Axis x, Axis y) {
    g.setStroke(new BasicStroke(1f));
    for (double v = Math.pow(10, Math.floor(Math.log10(y.min))); v <= y.max; v *= 10) {
      for (int m = 1; m < 10; m++) {
        double tick = v * m;
        if (tick < y.min || tick > y.max) {
          continue;
        }
        g.setColor(m == 1 ? new Color(0xBBBBBB) : new Color(0xEEEEEE));
        g.drawLine(LEFT, y.at(tick), W - RIGHT, y.at(tick));
        if (m == 1 || m == 2 || m == 5) {
          g.setColor(Color.DARK_GRAY);
          g.drawString(trim(tick) + " s", 10, y.at(tick) + 4);
        }
      }
    }
    for (double v = Math.pow(10, Math.floor(Math.log10(x.min))); v <= x.max; v *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        double tick = v * m;
        if (tick >= x.min && tick <= x.max) {
          g.setColor(new Color(0xDDDDDD));
          g.drawLine(x.at(tick), TOP, x.at(tick), H - BOTTOM);
          g.setColor(Color.DARK_GRAY);
          g.drawString(trim(tick), x.at(tick) - 10, H - BOTTOM + 18);
        }
      }
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, W - RIGHT - LEFT, H - BOTTOM - TOP);
    g.drawString("N (annotated Deployments under one policy)", LEFT + 150, H - 25);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** A log scale from [min, max] onto pixels [from, to]. */
  private record Axis(double min, double max, int from, int to) {
    int at(double v) {
      double f = (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
      return (int) Math.round(from + f * (to - from));
    }
  }
}
