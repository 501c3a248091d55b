package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Confusion;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import dev.neurite.nn.OutputHead;
import dev.neurite.nn.Predictions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code neurite evaluate --model FILE}: a saved model scored on test data, from raw inputs (the
 * model applies its scaler): accuracy, per-class precision, recall, F1 and support with their
 * macro and weighted averages, and the confusion matrix, with the model's class names; for a
 * regression the error of each target.
 */
final class EvaluateCommand {
    static final String USAGE = """
            usage: neurite evaluate --model FILE [flags]
              --model FILE          a model written by neurite train --save or --checkpoint
              --data PATH           a table (FILE.csv) or a folder of IDX files; only the test files
                                    (t10k-*) are read          (default: $NEURITE_DATA, ~/.cache/neurite/mnist)
              --dataset NAME        IDX data: mnist or fashion-mnist                  (default mnist)
              --label COLUMN        a table's class column, by name or index from 0   (default: the last column)
              --target COL,...      a regression's target columns                     (default: the last ones)
              --backend SPEC        auto, cpu, opencl[:N], cuda[:N]
              --quiet               print only the accuracy line
              --verbose             also the library's debug log
            """;

    private EvaluateCommand() {
    }

    static int run(String[] args, PrintStream out) throws UsageException, IOException {
        Flags f = Flags.parse(args, 1, ModelData.FLAGS, Verbosity.SWITCHES);
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        Path model = ModelData.model(f);
        try (Verbosity v = Verbosity.of(f);
             Backend backend = Backends.open(f.get("backend", Backends.requested()));
             Network net = ModelFile.load(model, backend)) {
            PrintStream info = v.info(out);
            info.println("neurite: backend " + backend.name() + " — " + backend.device());
            info.println("neurite: model " + model + ": " + net + describe(net));
            ModelData.Named data = ModelData.labelled(f, net, info);
            Dataset d = data.data();
            OutputHead head = net.head() == null ? OutputHead.AS_IS : net.head();
            if (!head.classifies()) {
                regression(net, data, info, out);
                return 0;
            }
            Confusion c = Confusion.of(net, d, 500);
            out.printf(Locale.ROOT, "%s, %d %s: accuracy %.2f%% (%d of %d)%n", data.name(), d.rows(), data.unit(),
                    100 * c.accuracy(), Math.round(c.accuracy() * d.rows()), d.rows());
            info.println();
            info.print(c.report(net.classNames()));
            info.println();
            info.println("confusion matrix (rows: actual class, columns: predicted class)");
            info.print(c.table(net.classNames()));
        }
        return 0;
    }

    static String describe(Network net) {
        StringBuilder sb = new StringBuilder();
        if (!net.classNames().isEmpty()) {
            sb.append("; classes ").append(String.join(", ", net.classNames()));
        }
        sb.append(net.scaler() == null ? "; no scaler" : "; its scaler applied to the raw inputs");
        return sb.toString();
    }

    /** Mean squared and absolute error and R² of each target column. */
    private static void regression(Network net, ModelData.Named data, PrintStream info, PrintStream out) {
        Dataset d = data.data();
        Predictions p = net.predict(d);
        int k = d.classes();
        double total = 0;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-16s  %12s  %12s  %8s%n", "target", "mse",
                "mae", "r2"));
        for (int t = 0; t < k; t++) {
            double mean = 0;
            for (int r = 0; r < d.rows(); r++) {
                mean += d.targets()[r * k + t];
            }
            mean /= d.rows();
            double se = 0;
            double ae = 0;
            double ss = 0;
            for (int r = 0; r < d.rows(); r++) {
                double y = d.targets()[r * k + t];
                double e = p.values()[r * k + t] - y;
                se += e * e;
                ae += Math.abs(e);
                ss += (y - mean) * (y - mean);
            }
            total += se;
            table.append(String.format(Locale.ROOT, "%-16s  %12.6g  %12.6g  %8.4f%n", d.classNames().get(t), se / d.rows(),
                    ae / d.rows(), ss == 0 ? Double.NaN : 1 - se / ss));
        }
        out.printf(Locale.ROOT, "%s, %d %s: mean squared error %.6g (over %d target%s)%n", data.name(), d.rows(),
                data.unit(), total / d.rows() / k, k, k == 1 ? "" : "s");
        info.println();
        info.print(table);
    }
}
