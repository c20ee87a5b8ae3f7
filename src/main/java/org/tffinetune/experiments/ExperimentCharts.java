package org.tffinetune.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.tffinetune.data.Digits;

/**
 * Draws the experiment's charts as PNG images with JFreeChart: test accuracy against training-set
 * size, validation accuracy per epoch, and a confusion matrix. Lines are means over seeds and the
 * shaded bands span one standard deviation either side.
 */
final class ExperimentCharts {
  static final int WIDTH = 720;
  static final int HEIGHT = 440;

  /** Colors per arm, in {@link Arm} order: blue, orange, green. */
  private static final Color[] ARM_COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)
  };

  private ExperimentCharts() {}

  /** Returns a PNG of mean test accuracy against images per class, on a log-scale x axis. */
  static byte[] accuracyAgainstSamples(ExperimentResults results) throws IOException {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (Arm arm : Arm.values()) {
      YIntervalSeries series = new YIntervalSeries(arm.id());
      for (SummaryRow row : results.summary()) {
        if (row.arm() == arm) {
          addPoint(
              series,
              results.imagesPerClass(row.samplesPerClass()),
              row.accuracyMean(),
              row.accuracyStdOrZero());
        }
      }
      data.addSeries(series);
    }
    LogAxis x = new LogAxis("labelled training images per class (log scale)");
    x.setBase(10);
    x.setSmallestValue(1);
    x.setNumberFormatOverride(new DecimalFormat("#,##0"));
    // One labelled tick per decade (10, 100, 1,000), with unlabelled minor ticks between them.
    x.setTickUnit(new NumberTickUnit(1));
    x.setMinorTickCount(9);
    x.setMinorTickMarksVisible(true);
    NumberAxis y = accuracyAxis("test accuracy");
    XYPlot plot = bandPlot(data, x, y);
    return png(
        chart("Test accuracy on digits " + targetDigits(results) + " by training-set size", plot));
  }

  /**
   * Returns a PNG of mean validation accuracy per epoch for each arm at the largest size, or null
   * when those runs recorded no validation.
   */
  static byte[] validationAccuracy(ExperimentResults results) throws IOException {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    int size = results.largestSize();
    for (Arm arm : Arm.values()) {
      List<RunResult> runs = results.runs(arm, size);
      YIntervalSeries series = new YIntervalSeries(arm.id());
      for (int epoch = 0; epoch < results.settings().epochs(); epoch++) {
        List<Double> values = new ArrayList<>();
        for (RunResult run : runs) {
          List<Double> val = run.history().getOrDefault("val_accuracy", List.of());
          if (epoch < val.size()) {
            values.add(val.get(epoch));
          }
        }
        if (!values.isEmpty()) {
          Double std = Statistics.sampleStd(values);
          addPoint(series, epoch + 1, Statistics.mean(values), std == null ? 0 : std);
        }
      }
      data.addSeries(series);
    }
    if (data.getSeriesCount() == 0 || data.getItemCount(0) == 0) {
      return null;
    }
    NumberAxis x = new NumberAxis("epoch");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = accuracyAxis("validation accuracy");
    XYPlot plot = bandPlot(data, x, y);
    String title =
        String.format(Locale.ROOT, "Validation accuracy per epoch, %s", SampleSizes.describe(size));
    return png(chart(title, plot));
  }

  /**
   * Returns a PNG heat map of {@code run}'s confusion matrix: true digit by row, predicted digit by
   * column, with the count in each cell.
   */
  static byte[] confusionMatrix(ExperimentResults results, RunResult run) throws IOException {
    int[][] counts = run.confusionMatrix();
    int classes = counts.length;
    String[] labels =
        Arrays.stream(results.settings().target())
            .mapToObj(Integer::toString)
            .toArray(String[]::new);
    double[] xs = new double[classes * classes];
    double[] ys = new double[classes * classes];
    double[] zs = new double[classes * classes];
    int max = 1;
    for (int t = 0; t < classes; t++) {
      for (int p = 0; p < classes; p++) {
        int i = t * classes + p;
        xs[i] = p;
        ys[i] = t;
        zs[i] = counts[t][p];
        max = Math.max(max, counts[t][p]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("counts", new double[][] {xs, ys, zs});

    SymbolAxis x = new SymbolAxis("predicted digit", labels);
    SymbolAxis y = new SymbolAxis("true digit", labels);
    y.setInverted(true);
    XYBlockRenderer renderer = new XYBlockRenderer();
    BlueScale scale = new BlueScale(max);
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    Font font = new Font(Font.SANS_SERIF, Font.BOLD, classes > 6 ? 11 : 14);
    for (int t = 0; t < classes; t++) {
      for (int p = 0; p < classes; p++) {
        XYTextAnnotation label = new XYTextAnnotation(Integer.toString(counts[t][p]), p, t);
        label.setFont(font);
        label.setPaint(counts[t][p] > max / 2 ? Color.WHITE : Color.BLACK);
        plot.addAnnotation(label);
      }
    }
    String title =
        String.format(
            Locale.ROOT,
            "Confusion matrix: transfer, seed %d, %s (accuracy %.4f)",
            run.seed(),
            SampleSizes.describe(run.samplesPerClass()),
            run.testAccuracy());
    JFreeChart chart = chart(title, plot);
    chart.removeLegend();
    NumberAxis legendAxis = new NumberAxis("test images");
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    chart.addSubtitle(legend);
    int side = Math.max(HEIGHT, 80 * classes);
    return png(chart, side + 160, side);
  }

  private static void addPoint(YIntervalSeries series, double x, double mean, double std) {
    series.add(x, mean, mean - std, mean + std);
  }

  private static NumberAxis accuracyAxis(String label) {
    NumberAxis axis = new NumberAxis(label);
    // Zoomed to the data, because the gaps between arms are often a few points near 1.0.
    axis.setAutoRangeIncludesZero(false);
    axis.setUpperMargin(0.05);
    axis.setLowerMargin(0.05);
    return axis;
  }

  /** Returns a plot of mean lines with std bands that draws the arms in {@link Arm} order. */
  private static XYPlot bandPlot(YIntervalSeriesCollection data, ValueAxis x, NumberAxis y) {
    XYPlot plot = new XYPlot(data, x, y, bandRenderer());
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    return plot;
  }

  private static DeviationRenderer bandRenderer() {
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(0.2f);
    for (int i = 0; i < ARM_COLORS.length; i++) {
      renderer.setSeriesPaint(i, ARM_COLORS[i]);
      renderer.setSeriesFillPaint(i, ARM_COLORS[i]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    // Fine-tune-all often lies on top of transfer, so it is dashed to keep both lines visible.
    renderer.setSeriesStroke(
        Arm.FINE_TUNE_ALL.ordinal(),
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
    return renderer;
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  private static String targetDigits(ExperimentResults results) {
    return Digits.format(results.settings().target());
  }

  private static byte[] png(JFreeChart chart) throws IOException {
    return png(chart, WIDTH, HEIGHT);
  }

  private static byte[] png(JFreeChart chart, int width, int height) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(chart.createBufferedImage(width, height), "png", bytes);
    return bytes.toByteArray();
  }

  /** Maps a count in [0, max] to a color from white to dark blue. */
  private record BlueScale(double max) implements PaintScale {
    private static final Color LOW = Color.WHITE;
    private static final Color HIGH = new Color(0x08306b);

    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return max;
    }

    @Override
    public Paint getPaint(double value) {
      double f = Math.max(0, Math.min(1, value / max));
      return new Color(
          mix(LOW.getRed(), HIGH.getRed(), f),
          mix(LOW.getGreen(), HIGH.getGreen(), f),
          mix(LOW.getBlue(), HIGH.getBlue(), f));
    }

    private static int mix(int from, int to, double f) {
      return (int) Math.round(from + (to - from) * f);
    }
  }

  /** Returns the chart files of the report, keyed by file name, in report order. */
  static Map<String, byte[]> all(ExperimentResults results) throws IOException {
    Map<String, byte[]> charts = new LinkedHashMap<>();
    charts.put("accuracy-vs-samples.png", accuracyAgainstSamples(results));
    byte[] validation = validationAccuracy(results);
    if (validation != null) {
      charts.put("validation-accuracy.png", validation);
    }
    Optional<RunResult> best = results.bestTransferRun();
    if (best.isPresent()) {
      charts.put("confusion-matrix.png", confusionMatrix(results, best.get()));
    }
    return charts;
  }
}
