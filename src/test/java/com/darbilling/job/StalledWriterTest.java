package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.Hdfs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.S3Server;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stalled writer on each store (local disk, HDFS in a MiniDFSCluster, S3 in S3Proxy): run A, a
 * nightly in its own JVM, is stopped with SIGSTOP once it has planned its batch, past the lock's
 * staleness; run B takes the lock over and finishes the batch; another holder takes the lock; A,
 * continued with SIGCONT, must end with exit 1 in one line, with no commit after B's and the other
 * holder's lock left alone; a last nightly settles and every table equals one reprocess.
 */
class StalledWriterTest {
    private static final int STALE_SECONDS = 6;
    @TempDir
    static Path tmp;
    private static Configuration hadoop;
    private static String bucket;

    /** The input, staged on local disk and uploaded to each store. */
    private static Path staging;
    /** One reprocess of October of that input, on local disk: what every store's warehouse must equal in the end. */
    private static Location reprocessed;

    @BeforeAll
    static void stores() {
        hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
        S3Server.shared().configure(hadoop);
        bucket = S3Server.shared().newBucket("stalled");
        staging = InputRoots.withMessages(tmp.resolve("staging"), List.of(
                        Fixtures.consumer("m-1", "s-a", "c-1", "2026-10-03T10:00:00Z"),
                        Fixtures.consumer("m-2", "s-a", "c-2", "2026-10-03T11:00:00Z"),
                        Fixtures.consumer("m-3", "s-a", "c-1", "2026-10-04T09:00:00Z"),
                        Fixtures.consumer("m-4", "s-b", "c-1", "2026-10-04T23:30:00Z")),
                List.of(InputRoots.site("s-a", "UTC"), InputRoots.site("s-b", "Asia/Kolkata")),
                List.of(InputRoots.plan("s-a", "starter", "2026-01-01", null), InputRoots.plan("s-b", "growth", "2026-01-01", null)));
        reprocessed = Location.of(tmp.resolve("reprocessed"));
        StorageScenario.commands(Location.of(staging), reprocessed)
                .reprocess(StorageScenario.OCTOBER, Optional.of(StorageScenario.AS_OF), "one reprocess");
    }

    private static Location root(String scheme) {
        return switch (scheme) {
            case "file" -> Location.of(tmp.resolve("store"));
            case "hdfs" -> Location.of(Hdfs.root() + "/stalled");
            case "s3a" -> Location.of("s3a://" + bucket);
            default -> throw new IllegalArgumentException(scheme);
        };
    }

    private static List<String> settings(String scheme) {
        return switch (scheme) {
            case "s3a" -> S3Server.shared().confArguments();
            case "hdfs" -> List.of("--conf", "spark.hadoop.dfs.replication=1");
            default -> List.of();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aStalledWriterStopsBeforeItsNextCommitAndLeavesItsSuccessorAlone(String scheme) throws Exception {
        Location input = root(scheme).resolve("input");
        StorageScenario.upload(staging, input);
        Location warehouse = root(scheme).resolve("warehouse");

        Path log = Path.of("target", "stalled-writer-" + scheme + ".log"); // kept for a look after the test
        long start = System.nanoTime();
        Process a = StorageScenario.startNightly(log, input, warehouse, settings(scheme), STALE_SECONDS);
        // A new warehouse: the batches table's creation is commit 0, the planned batch commit 1.
        StorageScenario.awaitCommit(a, log, warehouse, StateTables.BATCHES, 1);
        signal("STOP", a);
        long stopped = System.nanoTime();

        RunRecord b;
        System.setProperty("billing.lock.staleSeconds", String.valueOf(STALE_SECONDS));
        try {
            b = StorageScenario.commands(input, warehouse).nightly(Optional.empty(), Optional.of(StorageScenario.AS_OF), "B");
        } finally {
            System.clearProperty("billing.lock.staleSeconds");
        }
        long bDone = System.nanoTime();
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), warehouse);
        List<Row> interrupted = tables.read(OutputTables.RUNS).where(col("status").equalTo("INTERRUPTED")).collectAsList();
        assertEquals(1, interrupted.size(), "B marked A INTERRUPTED");
        String runA = interrupted.get(0).getAs("run_id");

        int exit;
        try (WarehouseLock other = WarehouseLock.acquire(warehouse, hadoop, "run-other", "maintain")) {
            signal("CONT", a);
            assertTrue(a.waitFor(2, TimeUnit.MINUTES), "A ended after SIGCONT: " + Files.readString(log));
            exit = a.exitValue();
            System.out.printf(java.util.Locale.ROOT, "stalled writer on %s: A planned its batch in %.1f s; B took over and finished in"
                    + " %.1f s; A ended %.1f s after SIGCONT, exit %d%n", scheme, (stopped - start) / 1e9, (bDone - stopped) / 1e9,
                    (System.nanoTime() - bDone) / 1e9, exit);
            assertTrue(WarehouseLock.holder(warehouse, hadoop).orElseThrow().startsWith("run run-other (maintain)"),
                    "A left the other holder's lock alone");
            other.checkHeld();
        }
        String output = Files.readString(log);
        assertEquals(1, exit, output);
        List<String> errors = output.lines().filter(l -> l.startsWith("billing: error: ")).toList();
        assertEquals(1, errors.size(), output);
        assertTrue(errors.get(0).startsWith("billing: error: run " + runA + " stopped before its next commit: lost the warehouse lock"),
                errors.get(0));

        // No commit of A after B's first: in every table, A's commits (if any) come before all of B's.
        int tablesWithBoth = 0;
        for (String table : deltaTables(warehouse)) {
            TreeSet<Long> byA = new TreeSet<>();
            TreeSet<Long> byB = new TreeSet<>();
            for (Row commit : DeltaTable.forPath(TestSpark.session(), table).history().select("version", "userMetadata").collectAsList()) {
                if (runA.equals(commit.getString(1))) {
                    byA.add(commit.getLong(0));
                } else if (b.runId().equals(commit.getString(1))) {
                    byB.add(commit.getLong(0));
                }
            }
            if (!byA.isEmpty() && !byB.isEmpty()) {
                tablesWithBoth++;
                assertTrue(byA.last() < byB.first(), table + ": A committed " + byA + ", B " + byB);
            }
        }
        assertTrue(tablesWithBoth >= 2, "A committed before its stop in tables B wrote too (runs, nightly_batches)");

        StorageScenario.commands(input, warehouse).nightly(Optional.empty(), Optional.of(StorageScenario.AS_OF), "settles");
        assertFalse(tables.read(StateTables.BATCHES).where(col("done").equalTo(false)).count() > 0, "every batch is done");
        Warehouses.assertSameTables(reprocessed, warehouse, "after a stalled writer, on " + scheme);
    }

    /** The Delta tables under a warehouse: each folder holding a _delta_log. */
    private static List<String> deltaTables(Location warehouse) throws IOException {
        FileSystem fs = warehouse.path().getFileSystem(hadoop);
        TreeSet<String> tables = new TreeSet<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(warehouse.path(), true);
        while (files.hasNext()) {
            org.apache.hadoop.fs.Path file = files.next().getPath();
            if (file.getParent().getName().equals("_delta_log")) {
                tables.add(file.getParent().getParent().toString());
            }
        }
        return new ArrayList<>(tables);
    }

    private static void signal(String signal, Process process) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
