package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.at;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static com.darbilling.testing.Warehouses.assertSameTables;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import com.darbilling.input.SourceCounts;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A co-browse session and a Function invocation delivered again with an instant in the next month
 * count once, in the month of the earliest copy (R5, R6): in reprocess and nightly alike, whatever
 * the order in which the copies arrive and the months are reprocessed.
 */
class IdsAcrossMonthsTest {
    private static final String SECRET = "test-key-0123456789abcdef";
    private static final Optional<Instant> AS_OF = Optional.of(at("2026-12-01T00:00:00Z"));
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    /** Starter with no free invocations and blocks of one: each invocation that counts is a credit. */
    private static final PlanCatalog CATALOG = PlanCatalog.parse("""
            [{"plan_id": "starter", "version": "2020-09-04", "effective_from": "2020-09-04", "included_dar": 2000,
              "overage_block_size": 100, "overage_block_price": 39.00, "currency": "USD", "credits_per_dar": 1,
              "intent_manager_credits_per_dar": 0.2, "cobrowse_credits_per_session": 1, "functions_free_invocations": 0,
              "functions_block_size": 1, "functions_credits_per_block": 1, "max_platform_users": 10}]
            """, "test catalog");

    @TempDir
    static Path tmp;
    private static Path fullInput;
    private static Path reference;
    private static RunRecord novemberReprocess;

    private static Commands commands(Path input, Path warehouse) {
        return new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), CATALOG, PseudonymKey.of(SECRET),
                new PrintStream(new ByteArrayOutputStream()));
    }

    /** An input root with the reference data (site s, UTC, Starter) and no events yet. */
    private static Path emptyInput(String name) {
        Path root = tmp.resolve(name);
        InputRoots.write(root.resolve(Inputs.SITES), TestSpark.session().createDataFrame(List.of(site("s", "UTC")), InputRoots.SITES), false);
        InputRoots.write(root.resolve(Inputs.SITE_PLANS), TestSpark.session().createDataFrame(List.of(plan("s", "starter", null, null)),
                InputRoots.SITE_PLANS), false);
        try {
            for (String table : List.of(Inputs.MESSAGES, Inputs.COBROWSE_SESSIONS, Inputs.FUNCTION_INVOCATIONS)) {
                Files.createDirectories(root.resolve(table));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** October: ann's DAR, the first copies of session cb-x and invocation inv-x (2026-10-30). */
    private static void october(Path root) {
        InputRoots.appendMessages(root, List.of(consumer("m-oct", "s", "ann", "2026-10-30T09:00:00Z")));
        InputRoots.appendEvents(root, EventSource.COBROWSE_SESSIONS, List.of(session("cb-x", "2026-10-30T10:00:00Z")));
        InputRoots.appendEvents(root, EventSource.FUNCTION_INVOCATIONS, List.of(invocation("inv-x", "2026-10-30T11:00:00Z")));
    }

    /** November: bob's DAR, cb-x and inv-x delivered again (2026-11-02), and cb-y and inv-y, seen only then. */
    private static void november(Path root) {
        InputRoots.appendMessages(root, List.of(consumer("m-nov", "s", "bob", "2026-11-02T09:00:00Z")));
        InputRoots.appendEvents(root, EventSource.COBROWSE_SESSIONS, List.of(
                session("cb-x", "2026-11-02T10:00:00Z"), session("cb-y", "2026-11-02T12:00:00Z")));
        InputRoots.appendEvents(root, EventSource.FUNCTION_INVOCATIONS, List.of(
                invocation("inv-x", "2026-11-02T11:00:00Z"), invocation("inv-y", "2026-11-02T12:00:00Z")));
    }

    private static Row session(String id, String startedAt) {
        return RowFactory.create(id, "s", at(startedAt), true);
    }

    private static Row invocation(String id, String invokedAt) {
        return RowFactory.create(id, "s", "fn-1", at(invokedAt));
    }

    /** Both months' files, reprocessed October then November: what every other order must reach. */
    @BeforeAll
    static void referenceWarehouse() {
        fullInput = emptyInput("input");
        october(fullInput);
        november(fullInput);
        reference = tmp.resolve("reference");
        Commands commands = commands(fullInput, reference);
        commands.reprocess(OCTOBER, AS_OF, "2026-10");
        novemberReprocess = commands.reprocess(NOVEMBER, AS_OF, "2026-11");
    }

    /** category -> "usage_quantity credits" of site s in the month. */
    private static Map<String, String> usage(Path warehouse, YearMonth month) {
        Map<String, String> usage = new TreeMap<>();
        new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.CREDIT_USAGE)
                .where(DeltaWriter.inMonth(month.toString())).collectAsList()
                .forEach(r -> usage.put(r.getAs("category"), r.<Long>getAs("usage_quantity") + " " + r.getAs("credits")));
        return usage;
    }

    /** One DAR and, in the month of the earliest copy, cb-x and inv-x: each counts once. */
    private static final Map<String, String> OCTOBER_USAGE = Map.of(
            "MESSAGING", "1 1.0000", "INTENT_MANAGER", "0 0.0000", "COBROWSE", "1 1.0000", "FUNCTIONS", "1 1.0000");
    /** One DAR, cb-y and inv-y: the copies of cb-x and inv-x count in October. */
    private static final Map<String, String> NOVEMBER_USAGE = OCTOBER_USAGE;

    @Test
    void anIdRepeatedInTheNextMonthCountsOnceInTheMonthOfItsEarliestCopy() {
        assertEquals(OCTOBER_USAGE, usage(reference, OCTOBER));
        assertEquals(NOVEMBER_USAGE, usage(reference, NOVEMBER));
        // November's copies are duplicates of ids billed in October; every row read is accounted for.
        Map<String, SourceCounts> counts = new TreeMap<>();
        novemberReprocess.counts().forEach(c -> counts.put(c.source(), c));
        assertEquals(List.of(3L, 1L, 1L, 1L), List.of(counts.get(Inputs.COBROWSE_SESSIONS).read(),
                counts.get(Inputs.COBROWSE_SESSIONS).accepted(), counts.get(Inputs.COBROWSE_SESSIONS).duplicates(),
                counts.get(Inputs.COBROWSE_SESSIONS).otherMonth()), counts.get(Inputs.COBROWSE_SESSIONS).describe());
        assertEquals(List.of(1L, 1L), List.of(counts.get(Inputs.FUNCTION_INVOCATIONS).accepted(),
                counts.get(Inputs.FUNCTION_INVOCATIONS).duplicates()), counts.get(Inputs.FUNCTION_INVOCATIONS).describe());
    }

    @Test
    void reprocessingNovemberFirstEndsWhereOctoberFirstEnds() {
        Path warehouse = tmp.resolve("november-first");
        Commands commands = commands(fullInput, warehouse);
        commands.reprocess(NOVEMBER, AS_OF, "2026-11");
        // October is not billed yet: November's copies count there, until October's reprocess re-rates it.
        assertEquals(Map.of("MESSAGING", "1 1.0000", "INTENT_MANAGER", "0 0.0000", "COBROWSE", "2 2.0000", "FUNCTIONS", "2 2.0000"),
                usage(warehouse, NOVEMBER));
        commands.reprocess(OCTOBER, AS_OF, "2026-10");
        assertSameTables(reference, warehouse, "reprocess of November, then October");
    }

    @Test
    void nightlyWithOctoberFirstThenNovemberEqualsOneReprocessPerMonth() {
        Path input = emptyInput("october-first-input");
        Path warehouse = tmp.resolve("october-first");
        Commands commands = commands(input, warehouse);
        october(input);
        commands.nightly(Optional.empty(), AS_OF, "october");
        november(input);
        commands.nightly(Optional.empty(), AS_OF, "november");
        assertSameTables(reference, warehouse, "nightly, October's copies first");
    }

    @Test
    void nightlyWithNovemberFirstThenTheLateOctoberCopiesEqualsOneReprocessPerMonth() {
        Path input = emptyInput("november-first-input");
        Path warehouse = tmp.resolve("november-first-nightly");
        Commands commands = commands(input, warehouse);
        november(input);
        commands.nightly(Optional.empty(), AS_OF, "november");
        assertEquals(Map.of("MESSAGING", "1 1.0000", "INTENT_MANAGER", "0 0.0000", "COBROWSE", "2 2.0000", "FUNCTIONS", "2 2.0000"),
                usage(warehouse, NOVEMBER));
        october(input); // late files: October's copies, earlier than November's
        RunRecord late = commands.nightly(Optional.empty(), AS_OF, "late october");
        assertEquals(List.of("2026-10", "2026-11"), late.months(), "November is re-rated: cb-x and inv-x left it");
        assertSameTables(reference, warehouse, "nightly, November's copies first");
        // A reprocess of November alone, whose copies count only after October's: changes nothing.
        commands.reprocess(NOVEMBER, AS_OF, "2026-11 alone");
        assertSameTables(reference, warehouse, "then a reprocess of November alone");
    }
}
