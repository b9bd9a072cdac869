package com.darbilling.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.S3Server;
import com.darbilling.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-writer lock on a real S3 server (S3Proxy, its own process), through conditional writes:
 * racing writers, two runs at once. StorageEqualityTest compares the tables with local disk's,
 * with a nightly run killed with SIGKILL on each.
 */
class S3StorageTest {
    @TempDir
    static Path tmp;
    private static StorageScenario scenario;
    private static String bucket;
    private static Configuration hadoop;

    @BeforeAll
    static void startServer() {
        S3Server s3 = S3Server.shared();
        hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
        s3.configure(hadoop);
        bucket = s3.newBucket("billing");
        scenario = new StorageScenario(tmp);
    }

    private static Location s3(String path) {
        return Location.of("s3a://" + bucket + "/" + path);
    }

    @Test
    void racingWritersOnS3GetTheLockOnceEach() throws Exception {
        Location warehouse = s3("race");
        int writers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<WarehouseLock>> attempts = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String run = "run-" + i;
            attempts.add(pool.submit(() -> {
                start.await();
                return WarehouseLock.acquire(warehouse, hadoop, run, "reprocess");
            }));
        }
        start.countDown();
        List<WarehouseLock> held = Collections.synchronizedList(new ArrayList<>());
        List<String> refused = new ArrayList<>();
        for (Future<WarehouseLock> attempt : attempts) {
            try {
                held.add(attempt.get());
            } catch (java.util.concurrent.ExecutionException e) {
                refused.add(e.getCause().getMessage());
            }
        }
        pool.shutdown();
        assertEquals(1, held.size(), "exactly one writer takes the lock: " + refused);
        refused.forEach(m -> assertTrue(m.startsWith("another run is writing this warehouse: run run-"), m));
        held.get(0).close();
        WarehouseLock.acquire(warehouse, hadoop, "run-after", "reprocess").close();
    }

    @Test
    void twoRunsAtOnceOnOneS3WarehouseOneIsRefused() throws Exception {
        Location input = s3("input-concurrent");
        StorageScenario.upload(scenario.sample, input);
        Location warehouse = s3("concurrent");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                return StorageScenario.commands(input, warehouse).reprocess(StorageScenario.OCTOBER, Optional.of(StorageScenario.AS_OF),
                        "at once");
            }));
        }
        start.countDown();
        List<String> refused = new ArrayList<>();
        for (Future<?> run : runs) {
            try {
                run.get();
            } catch (java.util.concurrent.ExecutionException e) {
                refused.add(e.getCause().getMessage());
            }
        }
        pool.shutdown();
        assertEquals(1, refused.size(), "one of two runs at once is refused: " + refused);
        assertTrue(refused.get(0).startsWith("another run is writing this warehouse: run "), refused.get(0));
        assertEquals(1, new DeltaWriter(TestSpark.session(), warehouse).read(OutputTables.RUNS).count(), "the refused run wrote nothing");
    }
}
