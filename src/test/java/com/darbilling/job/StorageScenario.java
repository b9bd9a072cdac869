package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The storage tests' commands, run the same on local disk and on another store (S3, HDFS): input
 * files arrive in waves in a local staging folder and are uploaded to the store's input root.
 */
final class StorageScenario {
    static final Path SAMPLES = Path.of("data-samples");
    static final PlanCatalog CATALOG = PlanCatalog.load(SAMPLES.resolve("plan-catalog.json"));
    static final String SECRET = "test-key-0123456789abcdef";
    static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final LocalDate FIRST_WAVE_BEFORE = LocalDate.of(2026, 10, 21);

    /** The small sample (local), a late file into an old partition, and a second late file for after the close. */
    final Path sample;
    final Path lateAfterClose;
    private final String lateFile;

    StorageScenario(Path tmp) {
        sample = Warehouses.smallSampleInput(tmp);
        List<String> before = parquetFiles(sample);
        InputRoots.appendMessages(sample, List.of(Fixtures.consumer("late-1", "s-newyork", "c-late", "2026-10-05T12:00:00Z")));
        lateFile = parquetFiles(sample).stream().filter(f -> !before.contains(f)).findFirst().orElseThrow();
        lateAfterClose = tmp.resolve("late-after-close");
        InputRoots.appendMessages(lateAfterClose, List.of(Fixtures.consumer("late-2", "s-newyork", "c-late-2", "2026-10-07T12:00:00Z")));
    }

    static Commands commands(Location input, Location warehouse) {
        return new Commands(TestSpark.session(), input, warehouse, CATALOG, PseudonymKey.of(SECRET),
                new PrintStream(new ByteArrayOutputStream()));
    }

    /**
     * Nightly over a first wave of files, then over the rest (a late file into an old partition
     * among them) in a separate process killed with SIGKILL once it has planned its batch, finished
     * by the next nightly run; close October, a late file into the closed month, and a reprocess of
     * October into invoice version 2. The input is staged in {@code staging} and uploaded to
     * {@code input}; {@code afterTwoWaves} sees the warehouse once both waves are billed.
     *
     * @param storeSettings the killed process's --conf arguments for the store (S3A's endpoint and keys)
     */
    void nightlyKilledCloseAndNewVersion(Path staging, Location input, Location warehouse, List<String> storeSettings,
                                         Runnable afterTwoWaves) {
        Commands commands = firstWaveThenTheRest(staging, input, warehouse);
        killedNightly(staging.resolveSibling(staging.getFileName() + "-killed.log"), input, warehouse, storeSettings);
        // The next run watches the killed run's heartbeat for the staleness (on its own clock), then takes the lock over.
        System.setProperty("billing.lock.staleSeconds", "6");
        try {
            commands.nightly(Optional.empty(), Optional.of(AS_OF), "wave 2, after the kill");
        } finally {
            System.clearProperty("billing.lock.staleSeconds");
        }
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), warehouse);
        assertEquals(1, tables.read(OutputTables.RUNS).where(col("status").equalTo("INTERRUPTED")).count(), "the killed run is INTERRUPTED");
        assertEquals(0, tables.read(StateTables.BATCHES).where(col("done").equalTo(false)).count(), "the killed run's batch is done");
        afterTwoWaves.run();
        commands.close(OCTOBER, "close");
        copy(lateAfterClose, staging, f -> true);
        upload(staging, input);
        commands.reprocess(OCTOBER, Optional.of(AS_OF), "new version");
    }

    /** Nightly over a first wave of files, nightly over the rest, and a reprocess of October (changing nothing). */
    void twoNightlyWavesAndReprocess(Path staging, Location input, Location warehouse) {
        Commands commands = firstWaveThenTheRest(staging, input, warehouse);
        commands.nightly(Optional.empty(), Optional.of(AS_OF), "wave 2");
        commands.reprocess(OCTOBER, Optional.of(AS_OF), "reprocess");
    }

    /** Nightly over the first wave of files, then the rest uploaded (not billed yet); the commands on the store. */
    private Commands firstWaveThenTheRest(Path staging, Location input, Location warehouse) {
        copy(sample, staging, this::firstWave);
        upload(staging, input);
        Commands commands = commands(input, warehouse);
        commands.nightly(Optional.empty(), Optional.of(AS_OF), "wave 1");
        copy(sample, staging, f -> true);
        upload(staging, input);
        return commands;
    }

    /**
     * A nightly run in its own JVM (the command line, as jobs/billing runs it), killed with SIGKILL
     * once it has planned its batch, while it merges and writes: its lock stays behind.
     */
    private static void killedNightly(Path log, Location input, Location warehouse, List<String> storeSettings) {
        try {
            // The killed run's plan is the batches table's next version.
            long next = new DeltaWriter(TestSpark.session(), warehouse).version(StateTables.BATCHES) + 1;
            Process process = startNightly(log, input, warehouse, storeSettings, 3);
            awaitCommit(process, log, warehouse, StateTables.BATCHES, next);
            sleep(1500);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
            assertTrue(WarehouseLock.holder(warehouse, hadoop).isPresent(), "killed with SIGKILL, the lock stays behind");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code jobs/billing nightly} in its own JVM (the command line's main class, this JVM's class
     * path and Java 17 options), its output and errors into {@code log}.
     *
     * @param storeSettings --conf arguments for the store (S3A's endpoint and keys)
     * @param staleSeconds  the run's lock staleness (billing.lock.staleSeconds)
     */
    static Process startNightly(Path log, Location input, Location warehouse, List<String> storeSettings, int staleSeconds) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:") || a.startsWith("-Djdk")).toList());
        command.addAll(List.of("-Dbilling.lock.staleSeconds=" + staleSeconds, "-cp", System.getProperty("java.class.path"),
                "com.darbilling.cli.Main", "nightly", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--as-of", AS_OF.toString(), "--plans", SAMPLES.resolve("plan-catalog.json").toString(),
                "--conf", "spark.sql.shuffle.partitions=1", "--conf", "spark.databricks.delta.snapshotPartitions=1",
                "--conf", "spark.sql.codegen.wholeStage=false"));
        command.addAll(storeSettings);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("BILLING_PSEUDONYM_KEY", SECRET);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 3 minutes) until {@code table} of {@code warehouse} has its commit {@code version}, which the process makes. */
    static void awaitCommit(Process process, Path log, Location warehouse, TableSpec table, long version) {
        try {
            Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
            org.apache.hadoop.fs.Path commit = warehouse.resolve(table.name() + "/_delta_log/"
                    + String.format(java.util.Locale.ROOT, "%020d.json", version)).path();
            FileSystem fs = commit.getFileSystem(hadoop);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!fs.exists(commit) && process.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertTrue(fs.exists(commit), "the run never made commit " + version + " of " + table.name() + ": " + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reference data and the sample's files of partitions before 2026-10-21; not the late file. */
    private boolean firstWave(Path file) {
        String path = file.toString();
        if (file.getFileName().toString().equals(lateFile)) {
            return false;
        }
        return path.contains("/sites/") || path.contains("/site_plans/")
                || (path.contains("event_date=") && path.compareTo(path.replaceAll("event_date=.*", "event_date=" + FIRST_WAVE_BEFORE)) < 0);
    }

    private static void copy(Path from, Path to, Predicate<Path> files) {
        try {
            FileUtils.copyDirectory(from.toFile(), to.toFile(), f -> f.isDirectory() || files.test(f.toPath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the files of a local folder that {@code to} does not hold yet (hidden ones aside); nothing when it is that folder. */
    static void upload(Path from, Location to) {
        if (to.isLocal() && to.localPath().equals(from.toAbsolutePath().normalize())) {
            return;
        }
        Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
        try (Stream<Path> walk = Files.walk(from)) {
            FileSystem fs = to.path().getFileSystem(hadoop);
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                org.apache.hadoop.fs.Path target = to.resolve(from.relativize(file).toString()).path();
                if (!fs.exists(target)) {
                    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()), target);
                }
            }
            // An input table directory without files still exists on HDFS; on S3 a folder is a prefix and needs an object.
            try (Stream<Path> dirs = Files.list(from)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    fs.mkdirs(to.resolve(dir.getFileName().toString()).path());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(new com.darbilling.storage.InputFiles(hadoop).isDirectory(to), to + " should exist after the upload");
    }

    private static List<String> parquetFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
