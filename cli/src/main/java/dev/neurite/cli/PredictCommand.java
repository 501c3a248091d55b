package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import dev.neurite.nn.OutputHead;
import dev.neurite.nn.Predictions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code neurite predict --model FILE --data FILE}: one CSV row per sample, the predicted class
 * (its name) and the probability of each class, or the predicted values of a regression; from
 * raw inputs, the model's scaler applied.
 */
final class PredictCommand {
    static final String USAGE = """
            usage: neurite predict --model FILE --data PATH [flags]
              --model FILE          a model written by neurite train --save or --checkpoint
              --data PATH           rows to predict: a table (FILE.csv; a label column after the model's inputs,
                                    or the columns --label/--target name, is left out), an IDX image file, or a
                                    folder whose test images (t10k-images-idx3-ubyte[.gz]) are read
              --dataset NAME        IDX data without --data: mnist or fashion-mnist  (default mnist)
              --label COLUMN        a table's column to leave out                    (default: the last, if extra)
              --target COL,...      a regression table's columns to leave out        (default: the last, if extra)
              --out FILE.csv        write the predictions here                       (default: standard output)
              --backend SPEC        auto, cpu, opencl[:N], cuda[:N]
              --quiet               no messages, only the predictions
              --verbose             also the library's debug log
            Columns: predicted, then p(CLASS) for each class; for a regression, one column per value.
            """;

    private PredictCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Set<String> flags = new HashSet<>(ModelData.FLAGS);
        flags.add("out");
        Flags f = Flags.parse(args, 1, flags, Verbosity.SWITCHES);
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        Path model = ModelData.model(f);
        Path target = f.has("out") ? Path.of(f.get("out", "")) : null;
        if (target != null) {
            OutputFiles.check("out", target);
        }
        try (Verbosity v = Verbosity.of(f);
             Backend backend = Backends.open(f.get("backend", Backends.requested()));
             Network net = ModelFile.load(model, backend)) {
            // the predictions may go to stdout: messages go to stderr then
            PrintStream info = v.info(target == null ? err : out);
            info.println("neurite: backend " + backend.name() + " — " + backend.device());
            info.println("neurite: model " + model + ": " + net + EvaluateCommand.describe(net));
            ModelData.Named data = ModelData.features(f, net, info);
            String csv = csv(net.predict(data.data()), net);
            if (target == null) {
                out.print(csv);
            } else {
                OutputFiles.replace(target, csv);
                out.printf(Locale.ROOT, "predicted %d %s of %s into %s%n", data.data().rows(), data.unit(), data.name(),
                        target);
            }
        }
        return 0;
    }

    /** A header, then a row per sample: the class name and the class probabilities, or the values. */
    static String csv(Predictions p, Network net) {
        OutputHead head = p.head();
        StringBuilder sb = new StringBuilder();
        if (head.classifies()) {
            List<String> names = net.classNames().isEmpty()
                    ? java.util.stream.IntStream.range(0, p.width()).mapToObj(Integer::toString).toList() : net.classNames();
            sb.append("predicted");
            names.forEach(n -> sb.append(',').append(quoted("p(" + n + ")")));
        } else {
            for (int c = 0; c < p.width(); c++) {
                sb.append(c == 0 ? "" : ",").append(p.width() == 1 ? "value" : "value" + (c + 1));
            }
        }
        sb.append('\n');
        for (int r = 0; r < p.rows(); r++) {
            if (head.classifies()) {
                sb.append(quoted(p.className(r)));
            }
            float[] values = p.values(r);
            for (int c = 0; c < values.length; c++) {
                sb.append(head.classifies() || c > 0 ? "," : "").append(String.format(Locale.ROOT, "%.6g", values[c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A cell as RFC 4180 writes it: in quotes, quotes doubled, when it holds a comma, quote or line break. */
    private static String quoted(String cell) {
        return cell.matches("[^,\"\r\n]*") ? cell : "\"" + cell.replace("\"", "\"\"") + "\"";
    }
}
