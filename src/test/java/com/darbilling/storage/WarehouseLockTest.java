package com.darbilling.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.testing.Hdfs;
import com.darbilling.testing.S3Server;
import com.darbilling.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fenced one-writer lock on each store (local disk, HDFS in a MiniDFSCluster, S3 in S3Proxy):
 * a holder whose heartbeat stops is taken over after the staleness by exactly one of the runs that
 * wait for it, finds out, cannot commit, and never removes its successor's lock. A paused heartbeat
 * stands for a stopped process here; {@code StalledWriterTest} stops a real one.
 */
class WarehouseLockTest {
    private static final int STALE_SECONDS = 3;
    @TempDir
    static Path tmp;
    private static Configuration hadoop;
    private static String bucket;
    private static int warehouses;

    @BeforeAll
    static void stores() {
        System.setProperty("billing.lock.staleSeconds", String.valueOf(STALE_SECONDS));
        hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
        S3Server s3 = S3Server.shared();
        s3.configure(hadoop);
        bucket = s3.newBucket("lock");
    }

    @AfterAll
    static void staleness() {
        System.clearProperty("billing.lock.staleSeconds");
    }

    private static synchronized Location warehouse(String scheme) {
        String name = "warehouse-" + (++warehouses);
        return switch (scheme) {
            case "file" -> Location.of(tmp.resolve(name));
            case "hdfs" -> Location.of(Hdfs.root() + "/lock/" + name);
            case "s3a" -> Location.of("s3a://" + bucket + "/" + name);
            default -> throw new IllegalArgumentException(scheme);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aLiveHolderIsRefusedWithinAFewHeartbeats(String scheme) {
        Location warehouse = warehouse(scheme);
        try (WarehouseLock held = WarehouseLock.acquire(warehouse, hadoop, "run-a", "nightly")) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> WarehouseLock.acquire(warehouse, hadoop, "run-b", "reprocess"));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().startsWith("another run is writing this warehouse: run run-a (nightly)"), e.getMessage());
            assertTrue(waitedMillis < STALE_SECONDS * 1000L, "refused once the holder beat, not after the staleness: " + waitedMillis + " ms");
        }
        assertEquals(Optional.empty(), WarehouseLock.holder(warehouse, hadoop), "released");
        WarehouseLock.acquire(warehouse, hadoop, "run-c", "close").close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aHolderWithoutHeartbeatCannotCommit(String scheme) {
        Location warehouse = warehouse(scheme);
        String table = warehouse.resolve("t").forSpark();
        WarehouseLock a = WarehouseLock.acquire(warehouse, hadoop, "run-a", "nightly");
        append(table);
        assertEquals(0, version(table));
        a.pauseHeartbeat(true);
        sleep(STALE_SECONDS * 1000L / 2 + 700);
        RuntimeException e = assertThrows(RuntimeException.class, () -> append(table));
        LockLost lost = lockLost(e);
        assertTrue(lost.getMessage().contains("(generation 1): no heartbeat reached the lock for"), lost.getMessage());
        assertEquals(0, version(table), "the fenced commit was not made");
        a.close();
        assertTrue(WarehouseLock.holder(warehouse, hadoop).orElseThrow().startsWith("run run-a (nightly)"),
                "a lost lock is left as it is, for the next run to take over");
        try (WarehouseLock b = WarehouseLock.acquire(warehouse, hadoop, "run-b", "nightly")) {
            assertTrue(b.previousHolder().orElseThrow().startsWith("run run-a (nightly)"), b.previousHolder().toString());
            append(table);
            assertEquals(1, version(table), "the new holder commits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aPausedHolderLearnsItWasTakenOverAndLeavesItsSuccessorsLock(String scheme) {
        Location warehouse = warehouse(scheme);
        WarehouseLock a = WarehouseLock.acquire(warehouse, hadoop, "run-a", "nightly");
        a.pauseHeartbeat(true);
        WarehouseLock b = WarehouseLock.acquire(warehouse, hadoop, "run-b", "reprocess");
        assertTrue(b.previousHolder().orElseThrow().contains("(lock generation 1, its heartbeat unchanged for 3 s)"),
                b.previousHolder().orElseThrow());
        a.pauseHeartbeat(false);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (a.lost().isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertTrue(a.lost().orElseThrow().matches(".*\\(generation 1\\): .*generation 2 is held by run run-b \\(reprocess\\) .*"),
                a.lost().orElseThrow());
        assertThrows(LockLost.class, a::checkHeld);
        a.close();
        assertTrue(WarehouseLock.holder(warehouse, hadoop).orElseThrow().startsWith("run run-b (reprocess)"), "the successor's lock stays");
        b.checkHeld();
        b.close();
        assertEquals(Optional.empty(), WarehouseLock.holder(warehouse, hadoop));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void ofTakersOfOneStaleLockExactlyOneWins(String scheme) throws Exception {
        Location warehouse = warehouse(scheme);
        WarehouseLock stalled = WarehouseLock.acquire(warehouse, hadoop, "run-stalled", "nightly");
        stalled.pauseHeartbeat(true);
        int takers = 3;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        List<Future<WarehouseLock>> attempts = new ArrayList<>();
        for (int i = 0; i < takers; i++) {
            String run = "run-" + i;
            attempts.add(pool.submit(() -> {
                start.await();
                return WarehouseLock.acquire(warehouse, hadoop, run, "nightly");
            }));
        }
        start.countDown();
        List<WarehouseLock> won = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Future<WarehouseLock> attempt : attempts) {
            try {
                won.add(attempt.get());
            } catch (ExecutionException e) {
                refused.add(e.getCause().getMessage());
            }
        }
        pool.shutdown();
        assertEquals(1, won.size(), "exactly one taker wins: " + refused);
        String winner = WarehouseLock.holder(warehouse, hadoop).orElseThrow();
        assertTrue(winner.matches("run run-\\d \\(nightly\\) .*"), winner);
        assertTrue(won.get(0).previousHolder().orElseThrow().startsWith("run run-stalled (nightly)"));
        String winnerRun = winner.substring(0, winner.indexOf(" (nightly)"));
        refused.forEach(m -> assertTrue(m.startsWith("another run is writing this warehouse: " + winnerRun + " (nightly)"), m));
        stalled.close();
        assertEquals(winner, WarehouseLock.holder(warehouse, hadoop).orElseThrow(), "the stalled run left the winner's lock");
        won.get(0).close();
        assertEquals(Optional.empty(), WarehouseLock.holder(warehouse, hadoop));
    }

    private static void append(String table) {
        TestSpark.session().range(1).write().format("delta").mode("append").save(table);
    }

    private static long version(String table) {
        return DeltaLog.forTable(TestSpark.session(), table).update(false, scala.Option.empty(), scala.Option.empty()).version();
    }

    private static LockLost lockLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LockLost lost) {
                return lost;
            }
        }
        throw new AssertionError("not stopped by the lock's fence", e);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
