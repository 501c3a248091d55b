package dev.neurite.cli;

import dev.neurite.nn.AtomicFile;
import dev.neurite.nn.Trainer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss and accuracy per epoch on the training, validation and test parts: {@code --metrics FILE.csv}
 * writes them as a table, {@code --plot FILE.png} draws them (loss left, accuracy right).
 */
final class Curves {
    /**
     * One epoch.
     *
     * @param validation null without a validation part
     * @param test       null without a test part
     * @param seconds    the epoch's training time
     */
    record Row(int epoch, Trainer.Evaluation train, Trainer.Evaluation validation, Trainer.Evaluation test,
               double seconds) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(Row r) {
        rows.add(r);
    }

    /** epoch, loss and accuracy of each part (empty cells for a part not there, or accuracy of a regression), seconds. */
    String csv() {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,"
                + "test_loss,test_accuracy,seconds\n");
        for (Row r : rows) {
            sb.append(r.epoch());
            for (Trainer.Evaluation e : new Trainer.Evaluation[] {r.train(), r.validation(), r.test()}) {
                sb.append(',').append(e == null ? "" : number(e.loss()));
                sb.append(',').append(e == null || !e.labelled() ? "" : number(e.accuracy()));
            }
            sb.append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('\n');
        }
        return sb.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    void writeCsv(Path file) throws IOException {
        OutputFiles.replace(file, csv());
    }

    /** Loss per epoch, and accuracy per epoch beside it for a classification, as one PNG. */
    void plot(Path file, String title) throws IOException {
        boolean labelled = !rows.isEmpty() && rows.get(0).train().labelled();
        List<BufferedImage> charts = new ArrayList<>();
        charts.add(chart(title + ": loss", "loss", Trainer.Evaluation::loss));
        if (labelled) {
            charts.add(chart(title + ": accuracy", "accuracy (%)", e -> 100 * e.accuracy()));
        }
        int w = charts.get(0).getWidth();
        int h = charts.get(0).getHeight();
        BufferedImage all = new BufferedImage(w * charts.size(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), h);
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(charts.get(i), i * w, 0, null);
        }
        g.dispose();
        writePng(all, file);
    }

    private BufferedImage chart(String title, String axis, ToDoubleFunction<Trainer.Evaluation> value) {
        XYChart chart = new XYChartBuilder().width(640).height(440).title(title).xAxisTitle("epoch").yAxisTitle(axis).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(
                org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        series(chart, "train", Row::train, value);
        series(chart, "validation", Row::validation, value);
        series(chart, "test", Row::test, value);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private void series(XYChart chart, String name, java.util.function.Function<Row, Trainer.Evaluation> part,
                        ToDoubleFunction<Trainer.Evaluation> value) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Row r : rows) {
            Trainer.Evaluation e = part.apply(r);
            if (e != null && Double.isFinite(value.applyAsDouble(e))) {
                x.add(r.epoch());
                y.add(value.applyAsDouble(e));
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(x.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
    }

    /** Writes {@code image} as PNG to {@code file} atomically ({@link AtomicFile}). */
    static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFile.write(file, out -> {
            if (!javax.imageio.ImageIO.write(image, "png", out)) {
                throw new IOException(file + ": no PNG writer in this Java");
            }
        });
    }
}
