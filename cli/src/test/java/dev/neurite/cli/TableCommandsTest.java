package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, evaluate, predict, gradcheck and landscape on a table (examples/iris.csv) and on small
 * IDX folders: what they print and write, and one clear line with exit 2 (usage) or 1 (data,
 * files, divergence) for each kind of bad input.
 */
class TableCommandsTest {
    static final Path ROOT = ExamplesTest.root();
    private static final Path IRIS = ROOT.resolve("examples/iris.csv");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String[] iris(String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--data", IRIS.toString(), "--backend", "cpu",
                "--layers", "4,10,3"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void irisTrainsOnASplitAndTheModelKeepsItsClassNamesAndScaler(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("iris.model");
        Path metrics = dir.resolve("iris.csv");
        Path plot = dir.resolve("iris.png");
        assertEquals(0, run(iris("--holdout", "0.2", "--epochs", "30", "--l1", "0", "--decay", "0", "--dropout", "0",
                "--save", model.toString(), "--metrics", metrics.toString(), "--plot", plot.toString())), err());
        assertTrue(out().contains("150 rows, 4 features, 3 classes (setosa, versicolor, virginica)"), out());
        assertTrue(out().contains("120 training, 30 test rows (split with seed 1)"), out());
        assertTrue(out().contains("dense 4->10") && out().contains("total") && out().contains("83"), out());
        assertTrue(out().contains("scaling: standard, fitted on the training rows"), out());
        String last = out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("trained 30 epochs (all run): train ") && last.contains("test "), last);
        List<String> rows = Files.readAllLines(metrics);
        assertEquals(31, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("epoch,train_loss,train_accuracy,"), rows.get(0));
        assertTrue(Files.size(plot) > 1000 && new String(Files.readAllBytes(plot), 1, 3, StandardCharsets.US_ASCII)
                .equals("PNG"));

        assertEquals(0, run("evaluate", "--model", model.toString(), "--data", IRIS.toString(), "--backend", "cpu"),
                err());
        assertTrue(out().contains("precision") && out().contains("recall") && out().contains("f1")
                && out().contains("support") && out().contains("macro avg") && out().contains("weighted avg"), out());
        assertTrue(out().contains("actual \\ predicted") && out().lines().anyMatch(l -> l.startsWith("versicolor ")),
                out());

        Path predictions = dir.resolve("predictions.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--data", IRIS.toString(), "--out",
                predictions.toString(), "--backend", "cpu"), err());
        List<String> p = Files.readAllLines(predictions);
        assertEquals(151, p.size());
        // the tables written are created as any new file is (umask), not private like a temporary file
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(predictions));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(metrics));
        assertEquals("predicted,p(setosa),p(versicolor),p(virginica)", p.get(0));
        assertTrue(p.get(1).startsWith("setosa,"), p.get(1));
    }

    @Test
    void quietPrintsOnlyTheFinalLine(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("iris.csv.gz");
        try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Files.readAllBytes(IRIS));
        }
        assertEquals(0, run("train", "--data", gz.toString(), "--layers", "4,10,3", "--epochs", "3", "--quiet",
                "--backend", "cpu"), err());
        assertEquals(1, out().lines().count(), out());
        assertTrue(out().startsWith("trained 3 epochs"), out());
        assertFalse(err().contains("\r"), "no progress bar when stderr is not a terminal");
    }

    @Test
    void everyNewFlagRefusesABadValueWithUsageAndExitTwo() {
        String[][] cases = {
            {"--holdout", "1.5", "--holdout must be in [0, 1)"},
            {"--validation", "-0.1", "--validation must be in [0, 1)"},
            {"--scale", "log", "--scale must be standard, minmax or none"},
            {"--patience", "3", "--patience stops on the validation loss: add --validation"},
            {"--min-delta", "small", "--min-delta must be a number"},
            {"--momentum", "0.5", "--momentum applies to momentum, nesterov"},
            {"--beta2", "0.9", "--beta2 applies to adam"},
            {"--lr", "0", "--lr must be a positive number"},
            {"--dropout", "1", "--dropout must be in [0, 1)"},
            {"--init", "zeros", "--init must be normal, xavier, he or lecun"},
            {"--label", "species", "--label makes a classification and --target a regression"},
        };
        for (String[] c : cases) {
            String[] args = c[0].equals("--label") ? new String[] {"train", "--data", IRIS.toString(), "--label",
                "species", "--target", "petal_width"} : new String[] {"train", "--data", IRIS.toString(), c[0], c[1]};
            assertEquals(2, run(args), String.join(" ", args) + ": " + err());
            assertTrue(err().contains(c[2]) && err().contains("usage: neurite train"), err());
            assertFalse(out().contains("backend") || err().contains("\tat "), "nothing read or opened: " + out());
        }
        assertEquals(2, run("train", "--data", IRIS.toString(), "--net", "dense10,wobble,dense3"));
        assertTrue(err().contains("layer 2 'wobble' is not a layer"), err());
        assertEquals(2, run("train", "--data", IRIS.toString(), "--net", "conv3x4,dense3"));
        assertTrue(err().contains("layer 1 'conv3x4'") && err().contains("needs images"), err());
        assertEquals(2, run("train", "--data", IRIS.toString(), "--layers", "4,10,5"));
        assertTrue(err().contains("--layers 4,10,5 does not fit the data") && err().contains("iris.csv"), err());
    }

    @Test
    void badCellsAndUnknownClassesAreDataFaultsNamingTheFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b,label\n1,2,x\n3,oops,y\n");
        assertEquals(1, run("train", "--data", bad.toString(), "--layers", "2,2"));
        assertTrue(err().contains(bad.toString()) && err().contains("line 3"), err());
        Files.writeString(bad, "a,b,label\n1,2,x\n3,NaN,y\n");
        assertEquals(1, run("train", "--data", bad.toString(), "--layers", "2,2"));
        assertTrue(err().contains(bad.toString()) && err().contains("line 3"), err());
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "5.0,3.0,1.5,0.2,setosa\n5.0,3.0,1.5,0.2,daisy\n");
        assertEquals(1, run(iris("--test", test.toString(), "--epochs", "1")));
        assertTrue(err().contains(test.toString()) && err().contains("daisy"), err());
        assertFalse(err().contains("--layers") || err().contains("\tat "), err());
    }

    @Test
    void theOtherCommandsRefuseBadFlagsAndDataToo(@TempDir Path dir) {
        assertEquals(1, run("train", "--data", IRIS.toString(), "--label", "colour"));
        assertTrue(err().contains(IRIS + ": no column 'colour': the header names [sepal_length"), err());
        assertEquals(2, run("gradcheck", "--input", "2x2"));
        assertTrue(err().contains("--input must be N features or CxHxW"), err());
        Path model = dir.resolve("m.model");
        assertEquals(0, run(iris("--epochs", "1", "--save", model.toString())), err());
        assertEquals(2, run("landscape", "--model", model.toString(), "--data", IRIS.toString(), "--out",
                dir.resolve("l.png").toString(), "--points", "1"));
        assertTrue(err().contains("--points must be at least 2"), err());
        assertEquals(1, run("predict", "--model", model.toString(), "--data", IRIS.toString(), "--out",
                dir.resolve("none/p.csv").toString()));
        assertTrue(err().contains("--out") && err().contains("does not exist"), err());
        assertEquals(1, run("predict", "--model", model.toString(), "--data", ROOT.resolve("examples/line.csv").toString()));
        assertTrue(err().contains("rows of 3 values, but the model takes 4 inputs"), err());
        // a table's model without --data: not a search for MNIST (or a download) ending in a label error
        assertEquals(2, run("evaluate", "--model", model.toString(), "--backend", "cpu"));
        assertTrue(err().contains("--data FILE is required: the model takes 4 inputs, the built-in image sets 784"), err());
        assertEquals(2, run("predict", "--model", model.toString(), "--backend", "cpu"));
        assertTrue(err().contains("--data FILE is required"), err());
        // an unknown flag last on the line is unknown, not a flag lacking its value
        assertEquals(2, run(iris("--epochs", "1", "--bogus")));
        assertTrue(err().contains("unknown flag --bogus"), err());
        assertEquals(2, run("evaluate", "--model", model.toString(), "--foo"));
        assertTrue(err().contains("unknown flag --foo"), err());
        assertEquals(2, run(iris("--holdout", "0.2", "--test", IRIS.toString())));
        assertTrue(err().contains("--test gives the test set and --holdout takes it from the training data"), err());
        assertFalse(err().contains("\tat "), err());
    }

    @Test
    void aDivergingRunNamesTheStepExitsOneAndSavesNothing(@TempDir Path dir) {
        Path model = dir.resolve("m.model");
        Path checkpoint = dir.resolve("c.model");
        assertEquals(1, run(iris("--lr", "1e30", "--epochs", "5", "--save", model.toString(), "--checkpoint",
                checkpoint.toString())));
        assertTrue(err().contains("epoch 1") && err().contains("step") && err().contains("nothing was saved"), err());
        assertFalse(Files.exists(model) || Files.exists(checkpoint), "nothing saved from a diverged run");
    }

    @Test
    void earlyStoppingAndConvergenceEndTheRunAndSayWhy(@TempDir Path dir) {
        Path checkpoint = dir.resolve("best.model");
        assertEquals(0, run(iris("--validation", "0.2", "--patience", "1", "--epochs", "300", "--checkpoint",
                checkpoint.toString())), err());
        String last = out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("early stopping; the weights of epoch") && last.contains("validation"), last);
        assertTrue(out().contains("the best by validation loss"), out());
        assertTrue(Files.exists(checkpoint));
        assertEquals(0, run(iris("--min-delta", "10", "--epochs", "50")), err());
        assertTrue(out().contains("trained 2 epochs (converged"), out());
    }

    @Test
    void aCheckpointResumesWithItsRecipeExactly(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight.model");
        assertEquals(0, run(iris("--optimizer", "adam", "--loss", "softmax-ce", "--epochs", "4", "--save",
                straight.toString())), err());
        Path checkpoint = dir.resolve("c.model");
        assertEquals(0, run(iris("--optimizer", "adam", "--loss", "softmax-ce", "--epochs", "2", "--checkpoint",
                checkpoint.toString())), err());
        Path resumed = dir.resolve("resumed.model");
        assertEquals(0, run("train", "--data", IRIS.toString(), "--resume", checkpoint.toString(), "--epochs", "4",
                "--backend", "cpu", "--save", resumed.toString()), err());
        assertTrue(out().contains("resuming " + checkpoint + " after epoch 2") && out().contains("epoch 4/4"), out());
        // 2 epochs, a checkpoint, and 2 more write the very bytes 4 epochs in one run write
        assertEquals(-1, Files.mismatch(straight, resumed));
        assertEquals(2, run("train", "--data", IRIS.toString(), "--resume", checkpoint.toString(), "--lr", "0.1"));
        assertTrue(err().contains("--lr: --resume continues the checkpoint's network"), err());
    }

    @Test
    void binaryLabelsWithTheLogisticModelTrainOneSigmoidUnit() {
        Path bankruptcy = ROOT.resolve("examples/bankruptcy.csv");
        assertEquals(0, run("train", "--data", bankruptcy.toString(), "--model", "logistic", "--epochs", "2",
                "--backend", "cpu"), err());
        assertTrue(out().contains("dense 4->1") && out().contains("binary-ce loss"), out());
    }

    @Test
    void filesAreCheckedBeforeAnyWork(@TempDir Path dir) throws IOException {
        assertEquals(1, run(iris("--save", dir.resolve("no/such/folder/m.model").toString())));
        assertTrue(err().contains("--save") && err().contains("does not exist"), err());
        assertFalse(out().contains("backend"), out());
        assertEquals(1, run("train", "--data", IRIS.toString(), "--layers", "4,10,3", "--backend", "abacus"));
        assertTrue(err().contains("unknown backend 'abacus'"), err());
        assertFalse(out().contains("150 rows"), "the data was not read: " + out());
        assertEquals(1, run("evaluate", "--model", dir.resolve("missing.model").toString(), "--data", IRIS.toString()));
        assertTrue(err().contains("missing.model") && err().contains("does not exist"), err());
        assertEquals(1, run("predict", "--model", dir.toString(), "--data", IRIS.toString()));
        assertTrue(err().contains("is a folder"), err());
    }

    @Test
    void aFolderOfTestFilesOnlyTrainsWithAHoldout(@TempDir Path dir) throws IOException {
        MainTest.writeIdx(dir, "t10k", 100);
        assertEquals(0, run("train", "--data", dir.toString(), "--holdout", "0.2", "--layers", "16,10", "--epochs", "1",
                "--backend", "cpu"), err());
        assertTrue(out().contains("test files only") && out().contains("80 training, 20 test rows"), out());
        Path model = dir.resolve("m.model");
        assertEquals(0, run("train", "--data", dir.toString(), "--holdout", "0.2", "--layers", "16,10", "--epochs", "1",
                "--backend", "cpu", "--save", model.toString()), err());
        assertEquals(0, run("predict", "--model", model.toString(), "--data", dir.resolve("t10k-images-idx3-ubyte")
                .toString(), "--backend", "cpu", "--quiet"), err());
        assertEquals(101, out().lines().count(), out());
        assertTrue(out().startsWith("predicted,p(0),p(1),"), out());
        assertEquals(2, run("train", "--data", dir.toString(), "--layers", "16,10", "--epochs", "1"));
        assertTrue(err().contains("lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]")
                && err().contains("--holdout"), err());
    }

    @Test
    void gradcheckPassesOnAHealthyNetworkAndFailsAboveItsThreshold() {
        assertEquals(0, run("gradcheck", "--net", "conv3x4,relu,maxpool2,flatten,dense10", "--input", "1x8x8"), err());
        assertTrue(out().contains("gradient check passed: 4 tensors"), out());
        assertEquals(1, run("gradcheck", "--net", "dense8,tanh,dense3", "--input", "5", "--threshold", "0"));
        assertTrue(out().contains("gradient check FAILED"), out());
        assertEquals(2, run("gradcheck", "--net", "dense8,tanh", "--model", "classic"));
        assertTrue(err().contains("--net SPEC or --model NAME, not both"), err());
    }

    @Test
    void landscapeDrawsASliceAndAContour(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.model");
        assertEquals(0, run(iris("--epochs", "5", "--save", model.toString())), err());
        Path slice = dir.resolve("slice.png");
        assertEquals(0, run("landscape", "--model", model.toString(), "--data", IRIS.toString(), "--out",
                slice.toString(), "--points", "5", "--backend", "cpu"), err());
        assertTrue(out().contains("landscape written to " + slice) && Files.size(slice) > 1000, out());
        Path contour = dir.resolve("contour.png");
        assertEquals(0, run("landscape", "--model", model.toString(), "--data", IRIS.toString(), "--out",
                contour.toString(), "--2d", "--points", "4", "--backend", "cpu"), err());
        assertTrue(out().contains("4 x 4 points") && Files.size(contour) > 1000, out());
        assertEquals(2, run("landscape", "--model", model.toString(), "--data", IRIS.toString()));
        assertTrue(err().contains("--out"), err());
    }

    @Test
    void trainHelpListsEveryFlagWithItsDefault() throws Exception {
        assertEquals(0, run("train", "--help"));
        String help = out();
        java.lang.reflect.Field flags = TrainCommand.class.getDeclaredField("FLAGS");
        flags.setAccessible(true);
        @SuppressWarnings("unchecked")
        java.util.Set<String> names = (java.util.Set<String>) flags.get(null);
        List<String> lines = help.lines().toList();
        for (String name : names) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("  --" + name + " ")) {
                    at = i;
                }
            }
            assertTrue(at >= 0, "--" + name + " is not in train --help");
            StringBuilder entry = new StringBuilder(lines.get(at));
            for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("  --") && lines.get(i).startsWith("    "); i++) {
                entry.append(lines.get(i));
            }
            assertTrue(entry.toString().contains("default"), "--" + name + " has no default in train --help: " + entry);
        }
    }
}
