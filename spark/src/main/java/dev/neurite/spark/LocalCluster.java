package dev.neurite.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Spark cluster on this machine: a master and {@code workers} worker JVMs (one core,
 * 1 GiB each) started with plain {@code java} from the jars Maven fetched, everything bound to
 * 127.0.0.1. Executors run in their own JVMs, so a job on it crosses the real multi-process path:
 * task and result serialization, the application jars shipped, backends opened in other JVMs.
 * Spark needs no installation: {@code SPARK_HOME} is a temporary folder whose {@code jars/}
 * links to the jars. {@link #close} stops the JVMs it started.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final String master;

    private LocalCluster(Path home, String master) {
        this.home = home;
        this.master = master;
    }

    /**
     * Sessions of this JVM wait for every worker's executor before training: a job's first round
     * otherwise starts on whichever executor registered first (standalone mode waits for none), and
     * a loaded machine then runs the whole job in one executor JVM. Spark reads {@code spark.*}
     * system properties as defaults; {@link #close} removes these.
     */
    private static final List<String> WAIT_FOR_EXECUTORS = List.of("spark.cores.max",
            "spark.scheduler.minRegisteredResourcesRatio", "spark.scheduler.maxRegisteredResourcesWaitingTime");

    /** Starts the master and the workers and waits (up to two minutes) until every worker has registered. */
    public static LocalCluster start(int workers, List<Path> sparkJars) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("neurite-spark-home-");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        int port = freePort();
        LocalCluster c = new LocalCluster(home, "spark://127.0.0.1:" + port);
        try {
            c.launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                    String.valueOf(port), "--webui-port", String.valueOf(freePort()));
            for (int w = 0; w < workers; w++) {
                c.launch("worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                        "--memory", "1g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                        home.resolve("work" + w).toString(), c.master);
            }
            c.awaitWorkers(workers, 120);
            System.setProperty(WAIT_FOR_EXECUTORS.get(0), String.valueOf(workers));   // one core a worker
            System.setProperty(WAIT_FOR_EXECUTORS.get(1), "1.0");
            System.setProperty(WAIT_FOR_EXECUTORS.get(2), "120s");
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The master's URL, spark://127.0.0.1:PORT. */
    public String master() {
        return master;
    }

    private void launch(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", mainClass));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        // without it the executor launcher looks for a source build to learn the Scala version, and fails
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", home.toString());
        processes.add(pb.start());
    }

    /** Spark's add-opens set for JVM 25 (the build writes it from the module's pom). */
    static List<String> jvmFlags() throws IOException {
        try (InputStream in = LocalCluster.class.getResourceAsStream("jvm-flags.txt")) {
            if (in == null) {
                throw new IOException("jvm-flags.txt is missing from the neurite-spark classes");
            }
            return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
        }
    }

    private void awaitWorkers(int workers, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Path log = home.resolve("master.log");
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a cluster JVM exited with " + p.exitValue() + "; logs in " + home);
                }
            }
            if (Files.exists(log)) {
                try (Stream<String> lines = Files.lines(log)) {
                    if (lines.filter(l -> l.contains("Registering worker")).count() >= workers) {
                        return;
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new IOException(workers + " workers did not register within " + seconds + " s; logs in " + home);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the JVMs this cluster started (workers first) and waits for them. */
    @Override
    public void close() {
        WAIT_FOR_EXECUTORS.forEach(System::clearProperty);
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Where the cluster's logs are. */
    public Path home() {
        return home;
    }

    /**
     * {@code LocalCluster --jars SPARK_CLASSPATH_FILE [--workers N] -- TRAIN_FLAGS}: starts the
     * cluster, trains with the flags on it, trains the same on {@code local[N]}, and says whether
     * the two saved models are identical (exit 0) or not (exit 1).
     */
    public static void main(String[] args) throws Exception {
        int split = Arrays.asList(args).indexOf("--");
        if (split < 0 || split + 1 > args.length) {
            System.err.println("usage: LocalCluster --jars SPARK_CLASSPATH_FILE [--workers N] -- TRAIN_FLAGS");
            System.exit(2);
        }
        List<String> own = Arrays.asList(args).subList(0, split);
        int workers = own.contains("--workers") ? Integer.parseInt(own.get(own.indexOf("--workers") + 1)) : 2;
        Path classpath = Path.of(own.get(own.indexOf("--jars") + 1));
        String[] train = Arrays.copyOfRange(args, split + 1, args.length);
        System.exit(compare(workers, jars(classpath), train, System.out).identical() ? 0 : 1);
    }

    /** The jars a {@code dependency:build-classpath} file lists. */
    public static List<Path> jars(Path classpathFile) throws IOException {
        return Arrays.stream(Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    /**
     * What {@link #compare} found.
     *
     * @param identical   both runs finished and saved byte-identical models
     * @param clusterHome the cluster's SPARK_HOME: logs, and the executors' in its work folders
     */
    record Comparison(boolean identical, Path clusterHome) {
    }

    /** Trains {@code train} on the cluster and on local[workers] (workers partitions each), and compares the models. */
    static Comparison compare(int workers, List<Path> sparkJars, String[] train, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("neurite-standalone-");
        Path onCluster = dir.resolve("standalone.model");
        Path onLocal = dir.resolve("local.model");
        Path home;
        try (LocalCluster cluster = start(workers, sparkJars)) {
            home = cluster.home();
            out.println("neurite: standalone cluster " + cluster.master() + ", " + workers + " workers (logs in " + home + ")");
            if (run(cluster.master(), workers, train, onCluster, out) != 0) {
                return new Comparison(false, home);
            }
        }
        if (run("local[" + workers + "]", workers, train, onLocal, out) != 0) {
            return new Comparison(false, home);
        }
        boolean same = Arrays.equals(Files.readAllBytes(onCluster), Files.readAllBytes(onLocal));
        out.println(same ? "neurite: the standalone cluster and local[" + workers + "] trained identical models"
                : "neurite: the standalone cluster and local[" + workers + "] models DIFFER (" + onCluster + ", " + onLocal + ")");
        return new Comparison(same, home);
    }

    private static int run(String master, int partitions, String[] train, Path save, PrintStream out) {
        List<String> args = new ArrayList<>(List.of("--spark", master, "--partitions", String.valueOf(partitions),
                "--save", save.toString()));
        args.addAll(Arrays.asList(train));
        out.println("neurite: train " + String.join(" ", args));
        return SparkTrainCommand.run(args.toArray(String[]::new), out, out);
    }
}
