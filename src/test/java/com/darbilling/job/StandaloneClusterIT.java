package com.darbilling.job;

import static com.darbilling.testing.Warehouses.assertSameTables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.storage.Location;
import com.darbilling.testing.S3Server;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on the loopback interface, from the jars Maven downloaded: a
 * master and two workers of one core each, each in its own JVM. The application jar (Spark
 * provided, Delta and scopt inside) is submitted with SparkSubmit in client and in cluster mode;
 * the cluster's Spark class path holds no Delta and no scopt, so the jar must carry them. The
 * tables must equal those of local mode on the same input. Runs as an integration test, after
 * the jar is packaged; every process it starts is stopped, also when it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(8);
    private static final String SECRET = "cluster-test-key-0123456789";
    private static final Path PLANS = Path.of("data-samples/plan-catalog.json").toAbsolutePath();

    @TempDir
    static Path tmp;
    private static final List<Process> processes = new ArrayList<>();
    private static Path sparkHome;
    private static List<String> sparkJars;
    private static Path appJar;
    private static Path input;
    private static Path keyFile;
    private static int masterPort;
    private static int masterUiPort;
    private static final List<Path> workerDirs = new ArrayList<>();
    /** The web UI address of each worker, as executors' log links name it. */
    private static final List<String> workerUis = new ArrayList<>();
    private static final List<Process> workers = new ArrayList<>();
    private static final Set<Integer> portsGiven = new HashSet<>();
    private static Path localTables;
    private static Path localReprocess;

    @BeforeAll
    static void startCluster() throws Exception {
        appJar = findAppJar();
        input = Warehouses.smallSampleInput(tmp);
        keyFile = Files.writeString(tmp.resolve("pseudonym.key"), SECRET);
        // SPARK_HOME/jars is what a Worker puts on its executors' class path: Spark only.
        sparkJars = Arrays.stream(Files.readString(Path.of("target/launcher-classpath.txt")).strip().split(":"))
                .filter(j -> !j.contains("/io/delta/") && !j.contains("/com/github/scopt/")).toList();
        sparkHome = Files.createDirectories(tmp.resolve("spark-home"));
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        for (String jar : sparkJars) {
            Path link = jars.resolve(Path.of(jar).getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of(jar));
            }
        }
        masterPort = freePort();
        masterUiPort = freePort();
        start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(masterUiPort)));
        for (int i = 0; i < 2; i++) {
            Path dir = Files.createDirectories(tmp.resolve("worker-" + i));
            workerDirs.add(dir);
            int uiPort = freePort();
            workers.add(start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--work-dir", dir.toString(), "--webui-port", String.valueOf(uiPort), masterUrl())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!masterJson().contains("\"aliveworkers\" : 2") && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertTrue(masterJson().contains("\"aliveworkers\" : 2"), "two workers should register: " + masterJson());
        for (int i = 0; i < 2; i++) {
            workerUis.add(boundUi("worker-" + i));
        }
        assertEquals(2, new TreeSet<>(workerUis).size(), "each worker has its own web UI: " + workerUis);
    }

    /**
     * The web UI address a worker bound, from its log: a worker whose asked-for port was taken in
     * the meantime binds the next one, and its executors' log links name that one.
     */
    private static String boundUi(String name) throws IOException {
        Matcher bound = Pattern.compile("Bound WorkerWebUI to .*, and started at http://[^:]+:(\\d+)")
                .matcher(Files.readString(log(name), StandardCharsets.UTF_8));
        assertTrue(bound.find(), name + " should log the port of its web UI:\n" + tail(log(name)));
        return "http://127.0.0.1:" + bound.group(1);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The warehouse of local mode: reprocess of 2026-10, then a nightly run over the same input. */
    private static synchronized Path localTables() {
        if (localTables == null) {
            localTables = local("local", true);
        }
        return localTables;
    }

    /** The warehouse of local mode after the reprocess of 2026-10 alone. */
    private static synchronized Path localReprocess() {
        if (localReprocess == null) {
            localReprocess = local("local-reprocess", false);
        }
        return localReprocess;
    }

    private static Path local(String name, boolean nightly) {
        Path local = tmp.resolve(name);
        Commands commands = new Commands(TestSpark.session(), Location.of(input), Location.of(local), PlanCatalog.load(PLANS), PseudonymKey.of(SECRET),
                new PrintStream(new ByteArrayOutputStream()));
        commands.reprocess(YearMonth.of(2026, 10), "local");
        if (nightly) {
            commands.nightly("local");
        }
        return local;
    }

    /**
     * Cluster mode, input and warehouse on local disk (a shared mount): a worker runs the driver,
     * the other the executor; reprocess then nightly give the tables of local mode.
     */
    @Test
    @Order(1)
    void inClusterModeReprocessAndNightlyGiveTheTablesOfLocalMode() throws Exception {
        Path expected = localTables();
        Path warehouse = tmp.resolve("warehouse-cluster");
        Path events = Files.createDirectories(tmp.resolve("events-cluster"));
        submit("cluster", events, "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--plans", PLANS.toString(), "--pseudonym-key-file", keyFile.toString());
        submit("cluster", events, "nightly", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--plans", PLANS.toString(), "--pseudonym-key-file", keyFile.toString());
        assertSameTables(expected, warehouse, "cluster mode");
        Map<String, Application> applications = applications(events);
        assertEquals(2, applications.size(), "one event log per submission: " + applications.keySet());
        for (var app : applications.entrySet()) {
            Application a = app.getValue();
            System.out.println("standalone cluster, cluster mode: " + app.getKey() + " ran its driver on worker "
                    + workerUis.get(a.driverWorker()) + ", executors on " + a.executorWorkers());
            // Each worker has one core: the driver takes the core of one, the executor the other's.
            assertTrue(a.driverWorker() >= 0, app.getKey() + ": in cluster mode a worker runs the driver");
            assertEquals(new TreeSet<>(List.of(workerUis.get(1 - a.driverWorker()))), a.executorWorkers(),
                    app.getKey() + ": in cluster mode the executor runs on the worker without the driver (worker "
                            + workerUis.get(a.driverWorker()) + ")");
        }
        assertTrue(masterJson().contains("\"state\" : \"FINISHED\""), "the cluster-mode drivers should finish: " + masterJson());
    }

    /**
     * Client mode, input and warehouse on a real S3 server (S3Proxy), and a worker with its executor
     * killed (SIGKILL) while the reprocess runs tasks on it. Executors on both workers read the raw
     * files and write the Delta tables through S3A (the workers' Spark jars hold hadoop-aws and the
     * AWS SDK, as a cluster's do); Spark runs the lost tasks again on the other worker, the run
     * succeeds and the tables equal local mode's. The storage tests run the other commands on S3 in
     * local mode. Last, since the cluster has one worker left after it.
     */
    @Test
    @Order(2)
    void inClientModeOnS3AWorkerLostMidReprocessChangesNothing() throws Exception {
        Path expected = localReprocess();
        S3Server s3 = S3Server.shared();
        s3.configure(TestSpark.session().sparkContext().hadoopConfiguration());
        String bucket = s3.newBucket("cluster");
        Location s3Input = Location.of("s3a://" + bucket + "/input");
        StorageScenario.upload(input, s3Input);
        Location warehouse = Location.of("s3a://" + bucket + "/warehouse");
        Path events = Files.createDirectories(tmp.resolve("events-client-s3"));
        List<String> args = new ArrayList<>(List.of("reprocess", "--input", s3Input.toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10", "--plans", PLANS.toString(), "--pseudonym-key-file", keyFile.toString()));
        args.addAll(s3.confArguments());
        Process victim = workers.get(1);
        Thread killer = new Thread(() -> killOnFirstTask(victim, workerDirs.get(1)), "worker-killer");
        killer.start();
        submit("client", events, args.toArray(String[]::new));
        killer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!victim.isAlive(), "the worker was killed during the reprocess");
        assertSameTables(Location.of(expected), warehouse, "client mode on S3, a worker lost mid-job");

        Application application = applications(events).values().iterator().next();
        System.out.println("standalone cluster, client mode on S3: executors ran on workers " + application.executorWorkers());
        assertEquals(-1, application.driverWorker(), "in client mode the driver runs in spark-submit");
        assertEquals(new TreeSet<>(workerUis), application.executorWorkers(), "in client mode both workers run executors");
        String log = eventLogs(events);
        long lostTasks = Pattern.compile("ExecutorLostFailure").matcher(log).results().count();
        System.out.println("standalone cluster, worker killed mid-reprocess: " + lostTasks + " task(s) lost and run again; "
                + Pattern.compile("SparkListenerExecutorRemoved").matcher(log).results().count() + " executor(s) removed");
        assertTrue(log.contains("SparkListenerExecutorRemoved"), "Spark saw the executor go");
        assertTrue(lostTasks > 0, "tasks were running on the killed worker and were run again");
    }

    /** Kills the worker and its executor (SIGKILL) as soon as a new executor of it has started running tasks. */
    private static void killOnFirstTask(Process worker, Path workDir) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        try {
            List<Path> earlier = executorLogs(workDir);
            while (System.nanoTime() < deadline) {
                if (executorRunsTasks(workDir, earlier)) {
                    worker.descendants().forEach(ProcessHandle::destroyForcibly);
                    worker.destroyForcibly();
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean executorRunsTasks(Path workDir, List<Path> earlier) throws IOException {
        for (Path stderr : executorLogs(workDir)) {
            if (!earlier.contains(stderr) && Files.readString(stderr, StandardCharsets.UTF_8).contains("Running task")) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> executorLogs(Path workDir) throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            return files.filter(f -> f.getFileName().toString().equals("stderr")).toList();
        }
    }

    private static String eventLogs(Path events) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> logs = Files.list(events)) {
            for (Path log : logs.toList()) {
                all.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** spark-submit (org.apache.spark.deploy.SparkSubmit) against the cluster; fails on a non-zero exit or a time-out. */
    private static void submit(String mode, Path events, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(),
                "--deploy-mode", mode, "--class", "com.darbilling.cli.Main",
                "--conf", "spark.executor.memory=512m", "--conf", "spark.driver.memory=1g", "--conf", "spark.executor.cores=1",
                // The tables are tiny: fixed costs dominate (each task, each generated class), as in TestSpark.
                "--conf", "spark.sql.shuffle.partitions=2", "--conf", "spark.databricks.delta.snapshotPartitions=2",
                "--conf", "spark.sql.codegen.wholeStage=false", "--conf", "spark.eventLog.enabled=true",
                "--conf", "spark.eventLog.dir=" + events.toUri(),
                "--conf", "spark.driver.extraJavaOptions=" + String.join(" ", javaOptions()),
                "--conf", "spark.standalone.submit.waitAppCompletion=true"));
        command.add(appJar.toString());
        command.addAll(List.of(args));
        Process submit = start("submit-" + mode + "-" + args[0], command);
        if (!submit.waitFor(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            submit.destroyForcibly();
            throw new AssertionError("spark-submit " + mode + " " + args[0] + " timed out; log: " + tail(log("submit-" + mode + "-" + args[0])));
        }
        assertEquals(0, submit.exitValue(), "spark-submit " + mode + " " + args[0] + " failed: " + tail(log("submit-" + mode + "-" + args[0])));
        assertTrue(executorLaunches() < 20, "executors are being relaunched in a loop: " + executorLaunches());
    }

    /**
     * One submitted application, from its event log: the index of the worker whose work folder the
     * driver ran in (-1: not on a worker), and the workers (web UI addresses) of its executors.
     */
    private record Application(int driverWorker, TreeSet<String> executorWorkers) {
    }

    /** Each application of an event log folder, by the name of its log. */
    private static Map<String, Application> applications(Path events) throws IOException {
        Pattern added = Pattern.compile("\"Event\":\"SparkListenerExecutorAdded\".*?\"Executor ID\":\"(\\d+)\".*?\"stdout\":\"(http://[^/]+)/");
        Pattern userDir = Pattern.compile("\"Event\":\"SparkListenerEnvironmentUpdate\".*\"user\\.dir\":\"([^\"]*)\"");
        Map<String, Application> applications = new TreeMap<>();
        try (Stream<Path> logs = Files.list(events)) {
            for (Path log : logs.toList()) {
                int driverWorker = -1;
                TreeSet<String> executors = new TreeSet<>();
                for (String line : Files.readAllLines(log)) {
                    Matcher m = added.matcher(line);
                    if (m.find()) {
                        executors.add(m.group(2));
                    }
                    Matcher dir = userDir.matcher(line);
                    if (dir.find()) {
                        for (int i = 0; i < workerDirs.size(); i++) {
                            if (Path.of(dir.group(1)).startsWith(workerDirs.get(i).toRealPath())) {
                                driverWorker = i;
                            }
                        }
                    }
                }
                applications.put(log.getFileName().toString(), new Application(driverWorker, executors));
            }
        }
        return applications;
    }

    private static long executorLaunches() throws IOException {
        long n = 0;
        for (Path dir : workerDirs) {
            try (Stream<Path> apps = Files.list(dir)) {
                for (Path app : apps.filter(p -> p.getFileName().toString().startsWith("app-")).toList()) {
                    try (Stream<Path> executors = Files.list(app)) {
                        n += executors.count();
                    }
                }
            }
        }
        return n;
    }

    private static Process start(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions());
        command.addAll(List.of("-Xmx1g", "-cp", String.join(":", sparkJars)));
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Spark's Java 17 options, as this test JVM got them from Surefire/Failsafe. */
    private static List<String> javaOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
                .toList();
    }

    private static Path log(String name) {
        return tmp.resolve(name + ".log");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    private static String masterJson() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException | InterruptedException e) {
            return "(master not answering: " + e.getMessage() + ")";
        }
    }

    /** A port free now and not handed out before by this test: the OS may offer a just-closed one again. */
    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (portsGiven.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static Path findAppJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("dar-billing-.*-app\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no application jar in target/: the cluster test runs after `package`"))
                    .toAbsolutePath();
        }
    }
}
