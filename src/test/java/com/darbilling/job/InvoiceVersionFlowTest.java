package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.*;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R10 end to end on one site (UTC, 2,101 end users on 2026-10-10): close, change the plan,
 * reprocess, again; late data after close; a data-subject erasure. Expected lines worked by hand.
 */
class InvoiceVersionFlowTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final PseudonymKey KEY = PseudonymKey.of("test-key-0123456789abcdef");

    @TempDir
    Path tmp;

    /** What the runs print. */
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private Commands commands(Path input, Path warehouse) {
        return new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), Catalogs.starterAndGrowth("0.10"), KEY,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    /** The lines printed since the last call. */
    private List<String> printedLines() {
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        printed.reset();
        return lines;
    }

    private static List<Row> messages(int from, int to) {
        List<Row> rows = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            rows.add(consumer(String.format("m-%04d", i), "s", String.format("c-%04d", i), "2026-10-10T12:00:00Z"));
        }
        return rows;
    }

    /** Lines of a version as "type adjusted quantity amount status", quantities without trailing zeros. */
    private static List<String> version(DeltaWriter warehouse, int version) {
        return warehouse.read(OutputTables.INVOICE_LINES)
                .where(col("billing_month").equalTo("2026-10").and(col("invoice_version").equalTo(version)))
                .collectAsList().stream()
                .map(r -> r.getAs("line_type") + " " + r.getAs("adjusted_line_type") + " "
                        + r.<BigDecimal>getAs("quantity").stripTrailingZeros().toPlainString() + " " + r.getAs("amount") + " "
                        + r.getAs("status"))
                .sorted().toList();
    }

    @Test
    void closeChangeReprocessGivesVersionsWithExactAdjustments() {
        Path input = InputRoots.withMessages(tmp.resolve("input"), messages(1, 2101), List.of(site("s", "UTC")),
                List.of(plan("s", "starter", null, null)));
        Path warehouse = tmp.resolve("warehouse");
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        Commands commands = commands(input, warehouse);

        commands.reprocess(OCTOBER, "v1");
        commands.close(OCTOBER, "close v1");
        List<String> v1 = List.of(
                "CREDITS_COBROWSE null 0 null FINAL", "CREDITS_FUNCTIONS null 0 null FINAL", "CREDITS_INTENT_MANAGER null 0 null FINAL",
                "CREDITS_MESSAGING null 2101 null FINAL", "DAR_INCLUDED null 2000 0.00 FINAL", "DAR_OVERAGE null 2 78.00 FINAL");
        assertEquals(v1, version(tables, 1));

        // Plan ends on 10-16: 15 days, included round(2000 * 15 / 31) = 968; 2,101 - 968 = 1,133 -> 12 blocks = 468.00.
        replacePlans(input, List.of(plan("s", "starter", null, "2026-10-16")));
        printedLines();
        commands.reprocess(OCTOBER, "v2");
        // A FINAL invoice changes: the summary is printed before the lines are written.
        List<String> printedV2 = printedLines();
        int notice = printedV2.indexOf("reprocess 2026-10, before writing its invoice lines: a site's billed DARs or total drop to zero, "
                + "or a FINAL invoice changes:");
        assertTrue(notice >= 0, String.join("\n", printedV2));
        assertEquals(List.of(
                "2026-10: 1 of 1 site invoices change; old -> new",
                "  s: total 78.00 USD -> 468.00 USD; version 1 FINAL stays; version 2 DRAFT is written with 2 ADJUSTMENT lines",
                "    starter 2020-09-04 DAR_INCLUDED: quantity 2000 -> 968",
                "    starter 2020-09-04 DAR_OVERAGE: quantity 2 -> 12, amount 78.00 -> 468.00 USD",
                "  month total: 78.00 USD -> 468.00 USD"), printedV2.subList(notice + 1, notice + 6));
        assertEquals(v1, version(tables, 1), "a FINAL version never changes");
        assertEquals(List.of(
                "ADJUSTMENT DAR_INCLUDED -1032 0.00 DRAFT", "ADJUSTMENT DAR_OVERAGE 10 390.00 DRAFT",
                "CREDITS_COBROWSE null 0 null DRAFT", "CREDITS_FUNCTIONS null 0 null DRAFT", "CREDITS_INTENT_MANAGER null 0 null DRAFT",
                "CREDITS_MESSAGING null 2101 null DRAFT", "DAR_INCLUDED null 968 0.00 DRAFT", "DAR_OVERAGE null 12 468.00 DRAFT"),
                version(tables, 2));
        // Reprocessing a DRAFT version replaces it in place.
        commands.reprocess(OCTOBER, "v2 again");
        assertEquals(8, version(tables, 2).size());
        assertTrue(printedLines().stream().noneMatch(l -> l.contains("before writing its invoice lines")),
                "a DRAFT version re-rated the same: nothing to announce");
        commands.close(OCTOBER, "close v2");

        // Whole month again, Intent Manager on: 2,101 x 0.2 = 420.2 credits.
        replacePlans(input, List.of(plan("s", "starter", null, null, true)));
        commands.reprocess(OCTOBER, "v3");
        assertEquals(List.of(
                "ADJUSTMENT CREDITS_INTENT_MANAGER 420.2 null DRAFT", "ADJUSTMENT DAR_INCLUDED 1032 0.00 DRAFT",
                "ADJUSTMENT DAR_OVERAGE -10 -390.00 DRAFT",
                "CREDITS_COBROWSE null 0 null DRAFT", "CREDITS_FUNCTIONS null 0 null DRAFT", "CREDITS_INTENT_MANAGER null 420.2 null DRAFT",
                "CREDITS_MESSAGING null 2101 null DRAFT", "DAR_INCLUDED null 2000 0.00 DRAFT", "DAR_OVERAGE null 2 78.00 DRAFT"),
                version(tables, 3));
        assertEquals(8, version(tables, 2).size());
        commands.close(OCTOBER, "close v3");

        // Late data for the closed month: the nightly records the DAR, leaves the FINAL lines, reports it.
        appendMessages(input, List.of(consumer("late-1", "s", "c-late", "2026-10-11T12:00:00Z")));
        RunRecord nightly = commands.nightly("late");
        assertEquals(2102, tables.read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
        assertEquals(List.of("s 2026-10"), nightly.unbilledChanges());
        assertTrue(version(tables, 3).stream().allMatch(l -> l.endsWith("FINAL")));
        assertEquals(0, version(tables, 4).size());
        Row run = tables.read(OutputTables.RUNS).where(col("run_id").equalTo(nightly.runId())).first();
        assertEquals("s 2026-10", run.getAs("unbilled_changes"));
        assertEquals("SUCCEEDED", run.getAs("status"));

        // Erasure: c-0001's messages are deleted from the raw input; the reprocess bills 2,101 again.
        List<Row> remaining = new ArrayList<>(messages(2, 2101));
        remaining.add(consumer("late-1", "s", "c-late", "2026-10-11T12:00:00Z"));
        InputRoots.withMessages(input, remaining, List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null, true)));
        commands.reprocess(OCTOBER, "erasure");
        assertEquals(List.of(
                "CREDITS_COBROWSE null 0 null DRAFT", "CREDITS_FUNCTIONS null 0 null DRAFT", "CREDITS_INTENT_MANAGER null 420.2 null DRAFT",
                "CREDITS_MESSAGING null 2101 null DRAFT", "DAR_INCLUDED null 2000 0.00 DRAFT", "DAR_OVERAGE null 2 78.00 DRAFT"),
                version(tables, 4), "same totals as the FINAL v3: no adjustment");
        // printf 's\nc-0001' | openssl dgst -sha256 -hmac test-key-0123456789abcdef
        String erased = KEY.pseudonym("s", "c-0001");
        assertEquals(0, tables.read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).where(col("consumer_id").equalTo(erased)).count());
        assertEquals(2101, tables.read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
    }
}
