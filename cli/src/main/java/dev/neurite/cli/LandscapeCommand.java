package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Landscape;
import dev.neurite.nn.Loss;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code neurite landscape}: the loss around a saved model's weights θ, J(θ + a·d) for a in
 * [−R, R] along a random filter-normalized direction d ({@link Landscape}), drawn as a curve; with
 * {@code --2d}, J(θ + a·d1 + b·d2) over a plane of two directions, drawn as a contour.
 */
final class LandscapeCommand {
    static final String USAGE = """
            usage: neurite landscape --model FILE --out FILE.png [flags]
              --model FILE          a model written by neurite train --save or --checkpoint
              --out FILE.png        the picture
              --data PATH           the data the loss is measured on: a table (FILE.csv) or a folder of IDX
                                    files, whose test files are read (default: $NEURITE_DATA, ~/.cache/neurite/mnist)
              --dataset NAME        IDX data: mnist or fashion-mnist                  (default mnist)
              --label COLUMN        a table's class column                            (default: the last column)
              --target COL,...      a regression's target columns                     (default: the last ones)
              --2d                  a contour over two directions instead of a curve along one
              --points N            values of a (and of b) from -R to R               (default 41; 21 with --2d)
              --range R             how far to go along each direction                (default 1)
              --samples N           rows the loss is averaged over, picked at random  (default 1000)
              --loss NAME           quadratic, softmax-ce, binary-ce, perceptron      (default: the one the
                                    model's output head implies)
              --seed N              the directions and the rows picked                (default 1)
              --backend SPEC        auto, cpu, opencl[:N], cuda[:N]
              --quiet               print only the final line
              --verbose             also the library's debug log
            Directions are filter-normalized (Li et al., 2018): each filter scaled to the norm of the same
            filter in θ; biases and batch-norm parameters stay put.
            """;

    private LandscapeCommand() {
    }

    static int run(String[] args, PrintStream out) throws UsageException, IOException {
        Set<String> flags = new HashSet<>(ModelData.FLAGS);
        flags.addAll(Set.of("out", "points", "range", "samples", "loss", "seed"));
        Flags f = Flags.parse(args, 1, flags, union(Verbosity.SWITCHES, Set.of("2d")));
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        for (String required : new String[] {"model", "out"}) {
            if (!f.has(required)) {
                throw new UsageException("--" + required + " is required");
            }
        }
        ModelData.checkFlags(f);
        boolean plane = f.has("2d");
        int points = f.integer("points", plane ? 21 : 41, 2);
        double range = f.fraction("range", 1, Double.POSITIVE_INFINITY);
        if (range == 0) {
            throw new UsageException("--range must be positive, got 0");
        }
        int samples = f.integer("samples", 1000, 1);
        long seed = f.longValue("seed", 1);
        Loss chosen = f.has("loss") ? loss(f.get("loss", "")) : null;
        Path model = Path.of(f.get("model", ""));
        Path picture = Path.of(f.get("out", ""));
        OutputFiles.checkReadable("model", model);
        OutputFiles.check("out", picture);
        try (Verbosity v = Verbosity.of(f);
             Backend backend = Backends.open(f.get("backend", Backends.requested()));
             Network net = ModelFile.load(model, backend)) {
            PrintStream info = v.info(out);
            info.println("neurite: backend " + backend.name() + " — " + backend.device());
            ModelData.Named named = ModelData.labelled(f, net, info);
            Dataset data = named.data();
            if (data.rows() > samples) {
                data = data.split((double) samples / data.rows(), seed)[1];
            }
            Loss loss = chosen != null ? chosen : Landscape.lossOf(net);
            info.printf(Locale.ROOT, "neurite: %s loss of %s over %d %s of %s, along %s filter-normalized random "
                    + "direction%s, seed %d%n", loss, model, data.rows(), named.unit(), named.name(), plane ? "two" : "one",
                    plane ? "s" : "", seed);
            Landscape landscape = new Landscape(net, loss, data);
            double[] a = Landscape.steps(-range, range, points);
            String summary = plane ? plane(landscape, a, seed, picture, model) : slice(landscape, a, seed, picture, model,
                    info);
            out.println("landscape written to " + picture + ": " + summary);
        }
        return 0;
    }

    private static String slice(Landscape l, double[] a, long seed, Path picture, Path model, PrintStream info)
            throws IOException {
        float[][] d = l.direction(seed);
        double[] j = l.slice(d, a);
        int every = Math.max(1, (a.length - 1) / 10);
        for (int i = 0; i < a.length; i += every) {
            info.printf(Locale.ROOT, "  a %6.2f  J %.6g%n", a[i], j[i]);
        }
        XYChart chart = new XYChartBuilder().width(720).height(480).title("Loss along a random direction: " + model
                .getFileName()).xAxisTitle("a (θ + a·d, d filter-normalized)").yAxisTitle("loss J").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false);
        chart.addSeries("J", a, j).setMarker(SeriesMarkers.NONE);
        Curves.writePng(BitmapEncoder.getBufferedImage(chart), picture);
        double at = l.slice(d, new double[] {0})[0];
        return String.format(Locale.ROOT, "J(θ) = %.4g; J(θ %+.2g·d) = %.4g, J(θ %+.2g·d) = %.4g", at, a[0], j[0],
                a[a.length - 1], j[a.length - 1]);
    }

    private static String plane(Landscape l, double[] a, long seed, Path picture, Path model) throws IOException {
        double[][] j = l.plane(l.direction(seed), a, l.direction(seed + 1), a);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : j) {
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        Curves.writePng(ContourPlot.draw(j, a, a, "Loss over two random directions: " + model.getFileName(),
                "a (along d1)", "b (along d2)"), picture);
        return String.format(Locale.ROOT, "%d x %d points, J from %.4g to %.4g", a.length, a.length, lo, hi);
    }

    private static Loss loss(String name) throws UsageException {
        Loss l = Loss.named(name);
        if (l == null) {
            throw new UsageException("--loss must be quadratic, softmax-ce, binary-ce or perceptron, got '" + name + "'");
        }
        return l;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
