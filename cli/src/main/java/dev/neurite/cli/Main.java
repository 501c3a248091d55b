package dev.neurite.cli;

import dev.neurite.backend.Backends;
import java.io.PrintStream;
import java.util.Set;

/** The {@code neurite} command. Wrong flags print usage and exit 2; failures print one line and exit 1. */
public final class Main {
    static final String USAGE = """
            usage: neurite COMMAND [flags]
              train      train a network on MNIST or Fashion-MNIST (neurite train --help)
              evaluate   accuracy and confusion matrix of a saved model (neurite evaluate --help)
              backends   list every backend, available or not, with the reason
              bench      compare the backends: GEMM sweep and epoch times, Markdown report and charts
              --version  the version of neurite and of the Java it runs on
            """;

    private Main() {
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        try {
            return switch (command) {
                case "train" -> java.util.Arrays.stream(args).anyMatch(a -> a.equals("--spark") || a.startsWith("--spark="))
                        ? spark(args, out, err) : TrainCommand.run(args, out, err);
                case "evaluate" -> EvaluateCommand.run(args, out);
                case "backends" -> backends(args, out);
                case "bench" -> BenchCommand.run(args, out);
                case "--version", "version" -> {
                    out.print(Version.text());
                    yield 0;
                }
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> throw new UsageException(command.isEmpty() ? "no command given" : "unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("neurite: " + e.getMessage());
            err.print(command.equals("train") ? TrainCommand.USAGE : command.equals("evaluate") ? EvaluateCommand.USAGE
                    : command.equals("bench") ? BenchCommand.USAGE : USAGE);
            return 2;
        } catch (Exception e) {
            err.println("neurite: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
            return 1;
        } catch (Error e) {
            err.println(describe(e, Runtime.getRuntime().maxMemory()));
            return 1;
        }
    }

    /** train --spark runs in the neurite-spark module, found by name: the command itself does not depend on Spark. */
    private static int spark(String[] args, PrintStream out, PrintStream err) throws Exception {
        try {
            return (int) Class.forName("dev.neurite.spark.SparkTrainCommand")
                    .getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (!(e.getCause() instanceof NoClassDefFoundError missing)) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            return sparkMissing(missing, err);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return sparkMissing(e, err);
        }
    }

    private static int sparkMissing(Throwable e, PrintStream err) {
        err.println("neurite: train --spark needs the neurite-spark module and Spark on the class path (missing "
                + e.getMessage() + "). The ./neurite launcher adds both (it builds them with ./mvnw package -pl cli,spark -am);"
                + " with plain java, add spark/target/neurite-spark-*.jar and the jars in spark/target/spark-classpath.txt.");
        return 1;
    }

    /**
     * One line for an {@link Error} that reached the command, with what to do about it: more heap
     * for out-of-memory (its message names the data file when a reader ran out), a bug report for
     * the rest. Never a stack trace.
     */
    static String describe(Error e, long maxHeap) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof OutOfMemoryError) {
            long suggested = Math.max(2, 2 * ((maxHeap + (1L << 30) - 1) >> 30));
            return "neurite: out of memory: " + message + "; the Java heap may grow to " + (maxHeap >> 20)
                    + " MiB: give it more with -Xmx, e.g. JAVA_TOOL_OPTIONS=-Xmx" + suggested + "g neurite ...";
        }
        if (e instanceof StackOverflowError) {
            return "neurite: stack overflow (a bug in neurite; please report it with the command line that caused it)";
        }
        if (e instanceof LinkageError) {
            return "neurite: broken installation: " + e.getClass().getName() + ": " + message
                    + " (a class or native library is missing or does not match; rebuild, or check the class path)";
        }
        return "neurite: internal error: " + e.getClass().getName() + (message.isEmpty() ? "" : ": " + message)
                + " (a bug in neurite; please report it with the command line that caused it)";
    }

    private static int backends(String[] args, PrintStream out) throws UsageException {
        Flags f = Flags.parse(args, 1, Set.of());
        if (f.help()) {
            out.println("usage: neurite backends\n  lists every backend on the class path with its devices, or why it is unavailable");
            return 0;
        }
        for (Backends.ProviderStatus s : Backends.describe()) {
            out.println(s.name() + " (priority " + s.priority() + "): " + s.availability());
        }
        return 0;
    }
}
