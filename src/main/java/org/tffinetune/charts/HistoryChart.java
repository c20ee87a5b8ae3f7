package org.tffinetune.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.tffinetune.models.History;
import org.tffinetune.saving.AtomicFiles;

/**
 * Draws training histories as one PNG with two panels, accuracy and loss per epoch, with a solid
 * line for training and a dashed line for validation per phase.
 */
public final class HistoryChart {
  private static final int PANEL_WIDTH = 640;
  private static final int HEIGHT = 420;

  private HistoryChart() {}

  /** Writes the chart of {@code phases} (name to history, in order) to {@code png}, atomically. */
  public static void write(Map<String, History> phases, Path png) throws IOException {
    JFreeChart accuracy = chart("Accuracy per epoch", "accuracy", phases);
    JFreeChart loss = chart("Loss per epoch", "loss", phases);
    BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    try {
      accuracy.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, PANEL_WIDTH, HEIGHT));
      loss.draw(g, new java.awt.geom.Rectangle2D.Double(PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT));
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    AtomicFiles.write(png, bytes.toByteArray());
  }

  private static JFreeChart chart(String title, String metric, Map<String, History> phases) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, History> phase : phases.entrySet()) {
      addSeries(data, phase.getKey() + " train", phase.getValue().get(metric));
      addSeries(data, phase.getKey() + " val", phase.getValue().get("val_" + metric));
    }

    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, "epoch", metric, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    NumberAxis epochs = (NumberAxis) plot.getDomainAxis();
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);

    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    Color[] palette = {
      new Color(0x1f77b4),
      new Color(0xff7f0e),
      new Color(0x2ca02c),
      new Color(0xd62728),
      new Color(0x9467bd),
      new Color(0x8c564b)
    };
    for (int i = 0; i < data.getSeriesCount(); i++) {
      String key = (String) data.getSeriesKey(i);
      int phase = phaseIndex(phases, key);
      renderer.setSeriesPaint(i, palette[phase % palette.length]);
      if (key.endsWith(" val")) {
        renderer.setSeriesStroke(
            i,
            new BasicStroke(
                2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
      } else {
        renderer.setSeriesStroke(i, new BasicStroke(2f));
      }
    }
    plot.setRenderer(renderer);
    return chart;
  }

  private static int phaseIndex(Map<String, History> phases, String seriesKey) {
    int i = 0;
    for (String name : phases.keySet()) {
      if (seriesKey.startsWith(name + " ")) {
        return i;
      }
      i++;
    }
    return 0;
  }

  private static void addSeries(XYSeriesCollection data, String name, List<Double> values) {
    if (values.isEmpty()) {
      return;
    }
    XYSeries series = new XYSeries(name);
    for (int i = 0; i < values.size(); i++) {
      series.add(i + 1, values.get(i));
    }
    data.addSeries(series);
  }
}
