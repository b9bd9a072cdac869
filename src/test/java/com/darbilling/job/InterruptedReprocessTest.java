package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.input.InputReader;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunFailure;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.WarehouseFiles;
import com.darbilling.testing.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reprocess that stops between its writes leaves its month marked unfinished: nightly (and close)
 * refuse, exit 3, naming the month and the reprocess that finishes it; that reprocess clears the mark.
 */
class InterruptedReprocessTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final String AS_OF = "2026-11-01T00:00:00Z";
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @TempDir
    Path tmp;

    private static List<String> unfinishedMonths(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(StateTables.UNFINISHED_MONTHS)
                .collectAsList().stream().map(r -> r.<String>getAs("billing_month")).toList();
    }

    private static long dars(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count();
    }

    @Test
    void nightlyRefusesAMonthAReprocessLeftHalfWrittenUntilAReprocessFinishesIt() {
        Path input = InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "s", "ann", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "s", "bob", "2026-10-11T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
        Path warehouse = tmp.resolve("warehouse");
        Map<String, String> env = Map.of("BILLING_PSEUDONYM_KEY", KEY);
        String[] reprocess = {"reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", AS_OF};
        String[] nightly = {"nightly", "--input", input.toString(), "--warehouse", warehouse.toString(), "--as-of", AS_OF};
        assertEquals(0, MainRunner.run(env, reprocess).exit());

        // carl arrives late; the reprocess that bills him writes DARs and invoice lines, then fails on plan_segments.
        InputRoots.appendMessages(input, List.of(consumer("m-3", "s", "carl", "2026-10-12T10:00:00Z")));
        DeltaWriter failingSegments = new DeltaWriter(TestSpark.session(), Location.of(warehouse)) {
            @Override
            public void replace(TableSpec table, Dataset<Row> rows, Column predicate) {
                if (table == OutputTables.PLAN_SEGMENTS) {
                    throw new IllegalStateException("injected: the store went away");
                }
                super.replace(table, rows, predicate);
            }
        };
        Commands failing = new Commands(TestSpark.session(), new InputReader(TestSpark.session(), Location.of(input)), failingSegments,
                Catalogs.starterAndGrowth("0.10"), PseudonymKey.of(KEY), new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());
        assertThrows(RunFailure.class, () -> failing.reprocess(OCTOBER, Optional.of(Instant.parse(AS_OF)), "failing"));
        assertEquals(3, dars(warehouse), "the DARs were written before the failure");
        assertEquals(List.of("2026-10"), unfinishedMonths(warehouse));

        // dave arrives too; nightly must not build on the half-written month.
        InputRoots.appendMessages(input, List.of(consumer("m-4", "s", "dave", "2026-10-13T10:00:00Z")));
        Map<String, String> before = WarehouseFiles.contents(warehouse);
        MainRunner.Outcome refused = MainRunner.run(env, nightly);
        assertEquals(3, refused.exit(), refused.err() + refused.out());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().contains("nightly refused, nothing written: billing month 2026-10 is unfinished"), refused.err());
        assertTrue(refused.err().contains("finish it with jobs/billing reprocess --month 2026-10 --input " + input), refused.err());
        MainRunner.Outcome closeRefused = MainRunner.run("close", "--warehouse", warehouse.toString(), "--month", "2026-10");
        assertEquals(3, closeRefused.exit(), closeRefused.err());
        assertTrue(closeRefused.err().contains("close refused, nothing written: billing month 2026-10 is unfinished"), closeRefused.err());
        assertEquals(before, WarehouseFiles.contents(warehouse), "the refused runs wrote nothing");
        assertEquals(Optional.empty(), WarehouseLock.holder(Location.of(warehouse), new Configuration()), "and left no lock");

        MainRunner.Outcome finished = MainRunner.run(env, reprocess);
        assertEquals(0, finished.exit(), finished.err());
        assertEquals(List.of(), unfinishedMonths(warehouse));
        assertEquals(4, dars(warehouse), "ann, bob, carl, dave");
        MainRunner.Outcome after = MainRunner.run(env, nightly);
        assertEquals(0, after.exit(), after.err());

        Path reference = tmp.resolve("reference");
        assertEquals(0, MainRunner.run(env, "reprocess", "--input", input.toString(), "--warehouse", reference.toString(),
                "--month", "2026-10", "--as-of", AS_OF).exit());
        Warehouses.assertSameTables(reference, warehouse, "a finished reprocess and a nightly run against one reprocess");
    }
}
