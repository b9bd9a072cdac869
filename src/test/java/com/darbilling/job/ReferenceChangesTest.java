package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.storage.Location;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference data that changes after a month was rated: nightly reprocesses an open month whose
 * sites' zone rows or plans changed, and ends where one reprocess ends; a closed month is named with
 * its reprocess, exit 3, night after night until it is done.
 */
class ReferenceChangesTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final String AS_OF = "2026-11-01T00:00:00Z";
    private static final Map<String, String> ENV = Map.of("BILLING_PSEUDONYM_KEY", KEY);

    @TempDir
    Path tmp;

    /** Site a (UTC): ann on the 10th, bob on the 11th. Site b (no zone row yet): carl at 23:30Z on the 10th, dave on the 20th. */
    private Path input() {
        return InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "a", "ann", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "a", "bob", "2026-10-11T10:00:00Z"),
                        consumer("m-3", "b", "carl", "2026-10-10T23:30:00Z"),
                        consumer("m-4", "b", "dave", "2026-10-20T10:00:00Z")),
                List.of(site("a", "UTC")), List.of(plan("a", "starter", null, null), plan("b", "starter", null, null)));
    }

    private static MainRunner.Outcome nightly(Path input, Path warehouse) {
        return MainRunner.run(ENV, "nightly", "--input", input.toString(), "--warehouse", warehouse.toString(), "--as-of", AS_OF);
    }

    private static MainRunner.Outcome reprocess(Path input, Path warehouse) {
        return MainRunner.run(ENV, "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", AS_OF);
    }

    private static DeltaWriter tables(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse));
    }

    /** site_id/local_date of every DAR, sorted. */
    private static List<String> dars(Path warehouse) {
        return tables(warehouse).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).select("site_id", "local_date").collectAsList().stream()
                .map(r -> r.get(0) + "/" + r.get(1)).sorted().toList();
    }

    private static String lastReferenceChanges(Path warehouse) {
        Row last = tables(warehouse).read(OutputTables.RUNS).orderBy(col("started_at").desc(), col("run_id").desc()).first();
        return last.getAs("reference_changes");
    }

    @Test
    void aLateZoneRowAndALatePlanChangeAreBilledByTheNextNightlyAsOneReprocessBillsThem() {
        Path input = input();
        Path warehouse = tmp.resolve("warehouse");
        assertEquals(0, nightly(input, warehouse).exit());
        assertEquals(List.of("a/2026-10-10", "a/2026-10-11"), dars(warehouse), "b has no zone yet: quarantined");
        assertEquals(2, tables(warehouse).read(OutputTables.QUARANTINE).where(col("reason").equalTo("UNKNOWN_SITE")).count());

        // b's zone row lands a day late, in a new file: carl's 23:30Z on the 10th is the 11th in Tokyo.
        InputRoots.appendSites(input, List.of(site("b", "Asia/Tokyo")));
        MainRunner.Outcome late = nightly(input, warehouse);
        assertEquals(0, late.exit(), late.err() + late.out());
        assertTrue(late.out().contains("nightly: 2026-10: reference data changed since it was rated for 1 site: b (zone row added); "
                + "reprocessing 2026-10"), late.out());
        assertEquals(List.of("a/2026-10-10", "a/2026-10-11", "b/2026-10-11", "b/2026-10-20"), dars(warehouse));
        assertEquals(0, tables(warehouse).read(OutputTables.QUARANTINE).count());
        assertTrue(lastReferenceChanges(warehouse).endsWith("b (zone row added) (reprocessed)"), lastReferenceChanges(warehouse));

        // A site onboarded with no usage anywhere near October: recorded, nothing to redo.
        InputRoots.appendSites(input, List.of(site("c", "UTC")));
        MainRunner.Outcome quiet = nightly(input, warehouse);
        assertEquals(0, quiet.exit(), quiet.err() + quiet.out());
        assertTrue(quiet.out().contains("no new raw files since the last run; nothing to do"), quiet.out());
        assertEquals(1, tables(warehouse).read(StateTables.REFERENCE_FINGERPRINTS)
                .where(col("site_id").equalTo("c").and(col("billing_month").equalTo("2026-10"))).count());

        // Intent manager switched on for a, for the whole month: 2 DARs x 0.2 credits (R4).
        InputRoots.replacePlans(input, List.of(plan("a", "starter", null, null, true), plan("b", "starter", null, null)));
        MainRunner.Outcome listening = nightly(input, warehouse);
        assertEquals(0, listening.exit(), listening.err() + listening.out());
        assertTrue(listening.out().contains("for 1 site: a (plan assignments); reprocessing 2026-10"), listening.out());
        Row intent = tables(warehouse).read(OutputTables.INVOICE_LINES)
                .where(col("site_id").equalTo("a").and(col("line_type").equalTo("CREDITS_INTENT_MANAGER"))).first();
        assertEquals(0, new BigDecimal("0.4").compareTo(intent.getAs("quantity")), intent.toString());

        Path reference = tmp.resolve("reference");
        assertEquals(0, reprocess(input, reference).exit());
        Warehouses.assertSameTables(reference, warehouse, "nightly through late reference data against one reprocess");
    }

    @Test
    void aZoneCorrectedAfterTheMonthClosedIsNamedNightAfterNightUntilItsReprocessWritesVersionTwo() {
        Path input = input();
        InputRoots.appendSites(input, List.of(site("b", "Asia/Tokyo")));
        Path warehouse = tmp.resolve("warehouse");
        assertEquals(0, nightly(input, warehouse).exit());
        assertEquals(0, MainRunner.run("close", "--warehouse", warehouse.toString(), "--month", "2026-10").exit());

        // b was in UTC all along: carl's DAR moves back to the 10th.
        InputRoots.replaceSites(input, List.of(site("a", "UTC"), site("b", "UTC")));
        for (int night = 1; night <= 2; night++) {
            MainRunner.Outcome closed = nightly(input, warehouse);
            assertEquals(3, closed.exit(), "night " + night + ": " + closed.err() + closed.out());
            assertTrue(closed.out().contains("nightly: 2026-10: reference data changed since it was rated for 1 site: b (zone); the month is "
                    + "closed (FINAL): bill it as version n+1 with jobs/billing reprocess --month 2026-10 --input " + input + " --warehouse "
                    + warehouse), closed.out());
            assertTrue(closed.err().contains("1 billing months whose reference data changed"), closed.err());
            assertEquals(List.of("a/2026-10-10", "a/2026-10-11", "b/2026-10-11", "b/2026-10-20"), dars(warehouse), "night " + night);
        }
        MainRunner.Outcome reprocessed = reprocess(input, warehouse);
        assertEquals(0, reprocessed.exit(), reprocessed.err() + reprocessed.out());
        assertEquals(List.of("a/2026-10-10", "a/2026-10-11", "b/2026-10-10", "b/2026-10-20"), dars(warehouse));
        assertFalse(tables(warehouse).read(OutputTables.INVOICE_LINES).where(col("invoice_version").equalTo(2)).isEmpty(),
                "version 2 written");
        MainRunner.Outcome after = nightly(input, warehouse);
        assertEquals(0, after.exit(), after.err() + after.out());
        assertTrue(after.out().contains("nothing to do"), after.out());
    }
}
