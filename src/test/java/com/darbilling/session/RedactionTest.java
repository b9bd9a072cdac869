package com.darbilling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.testing.TestSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pseudonym key given to a run as a cluster would give it, in Spark settings
 * ({@code spark.yarn.appMasterEnv.BILLING_PSEUDONYM_KEY}, {@code spark.executorEnv.BILLING_PSEUDONYM_KEY}), is
 * in neither the event log nor the log file: {@code spark.redaction.regex} of jobs/conf/spark-defaults.conf
 * covers it. The run is a {@code reprocess} of data-samples submitted with SparkSubmit in a JVM of its own (the
 * test JVM's one session has no event log), without the defaults as --conf (as a plain spark-submit would), so
 * SparkSessions must apply the regex from the class path itself. The log is jobs/conf/log4j2.properties at INFO with
 * {@code spark.logConf=true}, so Spark writes its whole configuration into it. The key given to the command line's own
 * --conf is redacted in the command line the run stores (runs.arguments) too.
 */
class RedactionTest {
    private static final String KEY = "redaction-test-key-5f0c2a9e71b3d468";
    private static final String VARIABLE = "BILLING_PSEUDONYM_KEY";
    private static final Path SAMPLES = Path.of("data-samples");

    @TempDir
    Path tmp;

    @Test
    void theKeyGivenInSparkSettingsIsInNeitherTheEventLogNorTheLogFileNorTheWarehouse() throws IOException, InterruptedException {
        Path events = Files.createDirectories(tmp.resolve("events"));
        Path logFile = tmp.resolve("billing.log");
        Path console = tmp.resolve("console.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:") || a.startsWith("-Djdk")).toList());
        command.addAll(List.of("-Dlog4j2.configurationFile=" + infoLogging(), "-Dbilling.log.file=" + logFile,
                "-cp", System.getProperty("java.class.path"),
                "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--class", "com.darbilling.cli.Main",
                "--conf", "spark.yarn.appMasterEnv." + VARIABLE + "=" + KEY,
                "--conf", "spark.executorEnv." + VARIABLE + "=" + KEY,
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri(),
                "--conf", "spark.logConf=true", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.sql.shuffle.partitions=1", "--conf", "spark.databricks.delta.snapshotPartitions=1",
                emptyJar().toString(),
                "reprocess", "--input", SAMPLES.resolve("input").toString(), "--warehouse", tmp.resolve("warehouse").toString(),
                "--month", "2026-10", "--as-of", "2026-11-01T00:00:00Z", "--plans", SAMPLES.resolve("plan-catalog.json").toString(),
                "--conf", "spark.executorEnv." + VARIABLE + "=" + KEY));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        // In local mode the driver reads the key from its environment, where YARN's appMasterEnv puts it.
        builder.environment().put(VARIABLE, KEY);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(console);
        assertEquals(0, process.exitValue(), "the submitted reprocess failed: " + output);

        String eventLog = readAll(events);
        String log = Files.readString(logFile);
        assertTrue(eventLog.contains("\"spark.executorEnv." + VARIABLE + "\"") && eventLog.contains("\"spark.yarn.appMasterEnv." + VARIABLE + "\""),
                "the event log lists the settings that carry the key");
        assertTrue(log.contains("spark.executorEnv." + VARIABLE), "the log file has Spark's configuration (spark.logConf at INFO)");
        assertFalse(eventLog.contains(KEY), "the event log holds the pseudonym key in clear");
        assertFalse(log.contains(KEY), "the log file holds the pseudonym key in clear");
        assertFalse(output.contains(KEY), "the run printed the pseudonym key");
        // The command line's own --conf: stored with the run (runs.arguments), with its value redacted.
        String arguments = new DeltaWriter(TestSpark.session(), Location.of(tmp.resolve("warehouse"))).read(OutputTables.RUNS)
                .select("arguments").first().getString(0);
        assertTrue(arguments.contains("--conf spark.executorEnv." + VARIABLE + "=*********(redacted)"), arguments);
        try (Stream<Path> files = Files.walk(tmp.resolve("warehouse"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(KEY), "the key in " + file);
            }
        }
    }

    /** jobs/conf/log4j2.properties with the root logger at INFO: everything Spark logs goes to the file. */
    private Path infoLogging() throws IOException {
        String production = Files.readString(Path.of("jobs/conf/log4j2.properties"));
        assertTrue(production.contains("rootLogger.level = warn"));
        return Files.writeString(tmp.resolve("log4j2.properties"), production.replace("rootLogger.level = warn", "rootLogger.level = info"));
    }

    /** SparkSubmit needs an application jar; the classes are on the class path already. */
    private Path emptyJar() throws IOException {
        Path jar = tmp.resolve("application.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }

    private static String readAll(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> logs = files.filter(Files::isRegularFile).toList();
            assertFalse(logs.isEmpty(), "no event log in " + folder);
            StringBuilder all = new StringBuilder();
            for (Path f : logs) {
                all.append(Files.readString(f, StandardCharsets.UTF_8));
            }
            return all.toString();
        }
    }
}
