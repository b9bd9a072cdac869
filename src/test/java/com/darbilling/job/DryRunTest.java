package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.contract.Inputs;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.WarehouseFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reprocess --dry-run through the command line: the invoice difference a reprocess would make, computed
 * by hand from R3 and R9 (Starter: 2,000 included, blocks of 100 at 39.00, no credit price), with the
 * warehouse left byte for byte; then the real reprocess prints the same summary before it writes the lines.
 */
class DryRunTest {
    private static final Map<String, String> KEY = Map.of("BILLING_PSEUDONYM_KEY", "test-key-0123456789abcdef");
    private static final String AS_OF = "2026-11-01T00:00:00Z";

    @TempDir
    Path tmp;

    /** {@code count} end users of {@code site} on one day, ids numbered from 1. */
    private static List<Row> endUsers(String site, String prefix, int count, String sentAt) {
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(consumer(String.format("%s-m-%04d", prefix, i), site, String.format("c-%04d", i), sentAt));
        }
        return rows;
    }

    private static MainRunner.Outcome reprocess(Path input, Path warehouse, String... more) {
        List<String> args = new ArrayList<>(List.of("reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10", "--as-of", AS_OF));
        args.addAll(List.of(more));
        return MainRunner.run(KEY, args.toArray(String[]::new));
    }

    /** The invoice difference a run printed: from its first line ("2026-10: ...") to the month total, without {@code prefix}. */
    private static List<String> diff(String out, String firstLinePrefix) {
        List<String> lines = out.lines().toList();
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(firstLinePrefix + "2026-10: ")).findFirst().orElseThrow(
                () -> new AssertionError("no invoice difference in:\n" + out)));
        int end = start;
        while (!lines.get(end).contains("month total: ")) {
            end++;
        }
        return lines.subList(start, end + 1).stream().map(l -> l.substring(firstLinePrefix.length())).toList();
    }

    private static List<String> lines(DeltaWriter tables, String site) {
        return tables.read(OutputTables.INVOICE_LINES).where(col("site_id").equalTo(site)).collectAsList().stream()
                .map(r -> r.getAs("invoice_version") + " " + r.getAs("line_type") + " "
                        + r.<BigDecimal>getAs("quantity").stripTrailingZeros().toPlainString() + " " + r.getAs("amount"))
                .sorted().toList();
    }

    @Test
    void dryRunPrintsTheDifferenceWritesNothingAndReprocessPrintsItBeforeWriting() throws IOException {
        // s-a: 2,101 end users on 10-10 (101 over 2,000: 2 blocks = 78.00); s-b: 3 on 10-12, alone in that day's file.
        List<Row> messages = new ArrayList<>(endUsers("s-a", "a", 2101, "2026-10-10T12:00:00Z"));
        messages.addAll(endUsers("s-b", "b", 3, "2026-10-12T12:00:00Z"));
        Path input = InputRoots.withMessages(tmp.resolve("input"), messages, List.of(site("s-a", "UTC"), site("s-b", "UTC")),
                List.of(plan("s-a", "starter", null, null), plan("s-b", "starter", null, null)));
        Path warehouse = tmp.resolve("warehouse");

        // No warehouse yet: compared with no invoice, and nothing is created.
        MainRunner.Outcome first = reprocess(input, warehouse, "--dry-run");
        assertEquals(0, first.exit(), first.err() + first.out());
        assertTrue(first.out().contains("holds no invoice_lines table"), first.out());
        assertEquals(List.of(
                "2026-10: 2 of 2 site invoices change; old -> new",
                "  s-a: total 0.00 USD -> 78.00 USD; new invoice, version 1 DRAFT",
                "    starter 2020-09-04 DAR_INCLUDED: quantity none -> 2000",
                "    starter 2020-09-04 DAR_OVERAGE: quantity none -> 2, amount none -> 78.00 USD",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity none -> 2101",
                "  s-b: total 0.00 USD -> 0.00 USD; new invoice, version 1 DRAFT",
                "    starter 2020-09-04 DAR_INCLUDED: quantity none -> 3",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity none -> 3",
                "  month total: 0.00 USD -> 78.00 USD"), diff(first.out(), "dry run: "));
        assertFalse(Files.exists(warehouse), "a dry run creates no warehouse");

        MainRunner.Outcome v1 = reprocess(input, warehouse);
        assertEquals(0, v1.exit(), v1.err());
        assertFalse(v1.out().contains("before writing its invoice lines"), "a first reprocess drops nothing to zero:\n" + v1.out());

        // s-b's only file is deleted; s-a gets 100 end users more on 10-11: 2,201 DARs, 201 over = 3 blocks = 117.00.
        FileUtils.deleteDirectory(input.resolve(Inputs.MESSAGES).resolve(Inputs.EVENT_DATE + "=2026-10-12").toFile());
        InputRoots.appendMessages(input, endUsers("s-a", "late", 100, "2026-10-11T12:00:00Z"));
        // As a reprocess killed between its writes leaves it: the dry run says so, the next reprocess clears it.
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        new UnfinishedMonths(TestSpark.session(), tables).mark(YearMonth.of(2026, 10), "killed-run");
        Map<String, String> before = WarehouseFiles.contents(warehouse);
        Map<String, String> lockBefore = WarehouseFiles.lock(warehouse);

        MainRunner.Outcome dry = reprocess(input, warehouse, "--dry-run");

        assertEquals(0, dry.exit(), dry.err() + dry.out());
        assertEquals("", dry.err());
        assertTrue(dry.out().contains("dry run: 2026-10 is unfinished (reprocess run killed-run stopped between its writes)"), dry.out());
        List<String> expected = List.of(
                "2026-10: 2 of 2 site invoices change; 1 drops to zero (listed first); old -> new",
                "  s-b: billed DARs drop to zero; total 0.00 USD -> 0.00 USD; version 1 DRAFT is deleted (no usage left)",
                "    starter 2020-09-04 DAR_INCLUDED: quantity 3 -> none",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity 3 -> none",
                "  s-a: total 78.00 USD -> 117.00 USD; version 1 DRAFT is replaced in place",
                "    starter 2020-09-04 DAR_OVERAGE: quantity 2 -> 3, amount 78.00 -> 117.00 USD",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity 2101 -> 2201",
                "  month total: 78.00 USD -> 117.00 USD");
        assertEquals(expected, diff(dry.out(), "dry run: "));
        assertEquals(before, WarehouseFiles.contents(warehouse), "a dry run leaves every file of the warehouse as it was");
        assertEquals(lockBefore, WarehouseFiles.lock(warehouse), "no lock taken");
        assertEquals(1, tables.read(OutputTables.RUNS).count(), "no runs row");

        MainRunner.Outcome real = reprocess(input, warehouse);

        assertEquals(0, real.exit(), real.err());
        List<String> out = real.out().lines().toList();
        int notice = out.indexOf("reprocess 2026-10, before writing its invoice lines: a site's billed DARs or total drop to zero, "
                + "or a FINAL invoice changes:");
        assertTrue(notice >= 0, real.out());
        assertEquals(expected, diff(real.out(), ""), "the same summary as the dry run");
        int written = out.indexOf(out.stream().filter(l -> l.contains("invoice lines written")).findFirst().orElseThrow());
        assertTrue(notice < written, "printed before the invoice lines are written:\n" + real.out());
        // What the dry run said is what was written.
        assertEquals(List.of(), lines(tables, "s-b"));
        assertEquals(Optional.empty(), new UnfinishedMonths(TestSpark.session(), tables).markedBy(YearMonth.of(2026, 10)));

        // A raw file a reprocess would fail on: the dry run fails the same way (exit 1, the file named), writing nothing.
        Path day = Files.createDirectories(input.resolve(Inputs.MESSAGES).resolve(Inputs.EVENT_DATE + "=2026-10-13"));
        Files.writeString(day.resolve("upload.parquet"), "not parquet at all");
        Map<String, String> afterReprocess = WarehouseFiles.contents(warehouse);
        MainRunner.Outcome refused = reprocess(input, warehouse, "--dry-run");
        assertEquals(1, refused.exit(), refused.err() + refused.out());
        assertTrue(refused.err().contains("upload.parquet") && refused.err().contains("a reprocess of 2026-10 would fail"), refused.err());
        assertEquals(afterReprocess, WarehouseFiles.contents(warehouse), "no rejected_files row, no runs row");
        assertEquals(List.of("1 CREDITS_COBROWSE 0 null", "1 CREDITS_FUNCTIONS 0 null", "1 CREDITS_INTENT_MANAGER 0 null",
                "1 CREDITS_MESSAGING 2201 null", "1 DAR_INCLUDED 2000 0.00", "1 DAR_OVERAGE 3 117.00"), lines(tables, "s-a"));
    }
}
