package dev.neurite.cli;

import dev.neurite.backend.Backend;
import dev.neurite.backend.Backends;
import dev.neurite.nn.Confusion;
import dev.neurite.nn.Dataset;
import dev.neurite.nn.Idx;
import dev.neurite.nn.ModelFile;
import dev.neurite.nn.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** {@code neurite evaluate --model FILE}: accuracy and confusion matrix on the test set. */
final class EvaluateCommand {
    static final String USAGE = """
            usage: neurite evaluate --model FILE [flags]
              --model FILE          a model written by neurite train --save
              --backend SPEC        auto, cpu, opencl[:N], cuda[:N]
              --dataset NAME        mnist or fashion-mnist              (default mnist)
              --data DIR            folder with the IDX files           (default: $NEURITE_DATA, ~/.cache/neurite/mnist)
            """;

    private EvaluateCommand() {
    }

    static int run(String[] args, PrintStream out) throws UsageException, IOException {
        Flags f = Flags.parse(args, 1, Set.of("model", "backend", "dataset", "data"));
        if (f.help()) {
            out.print(USAGE);
            return 0;
        }
        if (!f.has("model")) {
            throw new UsageException("--model FILE is required");
        }
        DataLocator.Located data = DataLocator.locate(f.get("dataset", "mnist"), f.get("data", null),
                System.getenv("NEURITE_DATA"), Path.of(System.getProperty("user.home")), out);
        Dataset test = Idx.read(data.testImages(), data.testLabels());
        try (Backend backend = Backends.open(f.get("backend", Backends.requested()));
             Network net = ModelFile.load(Path.of(f.get("model", "")), backend)) {
            if (net.inputWidth() != test.cols() || net.outputWidth() != test.classes()) {
                throw new UsageException("the model takes " + net.inputWidth() + " inputs to " + net.outputWidth()
                        + " classes; " + data.name() + " has " + test.cols() + " and " + test.classes());
            }
            out.println("neurite: backend " + backend.name() + " — " + backend.device());
            Confusion c = Confusion.of(net, test, 500);
            out.printf(Locale.ROOT, "%s test set, %d images: accuracy %.2f%%%n", data.name(), test.rows(), 100 * c.accuracy());
            out.print(c.table());
        }
        return 0;
    }
}
