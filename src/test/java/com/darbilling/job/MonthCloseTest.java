package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.contract.Inputs;
import com.darbilling.input.InputReader;
import com.darbilling.output.DeltaWriter;
import com.darbilling.storage.Location;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.WarehouseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * close refuses a warehouse that does not exist and a month never rated (exit 2, nothing created),
 * and names what may still be missing from the month it closes.
 */
class MonthCloseTest {
    private static final Map<String, String> KEY = Map.of("BILLING_PSEUDONYM_KEY", "test-key-0123456789abcdef");
    private static final String AS_OF = "2026-11-01T00:00:00Z";

    @TempDir
    Path tmp;

    /** ann on 10-10 and bob on 10-11 at site s (UTC, Starter). */
    private Path input() {
        return InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "s", "ann", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "s", "bob", "2026-10-11T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
    }

    private static MainRunner.Outcome close(Path warehouse, String month) {
        return MainRunner.run("close", "--warehouse", warehouse.toString(), "--month", month);
    }

    private static void assertRefused(MainRunner.Outcome outcome, String expected) {
        assertEquals(2, outcome.exit(), outcome.err() + outcome.out());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().contains(expected), outcome.err());
    }

    @Test
    void aMissingWarehouseAndAMonthNeverRatedAreRefusedWithNothingCreated() {
        Path typo = tmp.resolve("warehuose");
        assertRefused(close(typo, "2026-10"), "close refused, nothing written: no warehouse at " + typo + " (no runs table)");
        assertFalse(Files.exists(typo), "close creates no warehouse");

        Path warehouse = tmp.resolve("warehouse");
        assertEquals(0, MainRunner.run(KEY, "reprocess", "--input", input().toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10", "--as-of", AS_OF).exit());
        Map<String, String> before = WarehouseFiles.contents(warehouse);
        assertRefused(close(warehouse, "2026-11"), "billing month 2026-11 was never rated in " + warehouse + " (no invoice lines)");
        assertEquals(before, WarehouseFiles.contents(warehouse), "no runs row, no lock, no line changed");
    }

    @Test
    void closeNamesUnfinishedBatchesRejectedFilesAndUnbilledChangesOfTheMonth() throws IOException {
        Path input = input();
        Path warehouse = tmp.resolve("warehouse");
        assertEquals(0, MainRunner.run(KEY, "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10", "--as-of", AS_OF).exit());
        MainRunner.Outcome clean = close(warehouse, "2026-10");
        assertEquals(0, clean.exit(), clean.err());
        // One site, one segment: the six regular lines (R9); nothing else to say about a clean month.
        assertEquals(List.of("close 2026-10: 6 DRAFT invoice lines are now FINAL"),
                clean.out().lines().filter(l -> l.startsWith("close 2026-10:")).toList());

        // After the close: carl late on 10-12 (an unbilled change of the FINAL month), a truncated upload on 10-13.
        InputRoots.appendMessages(input, List.of(consumer("m-3", "s", "carl", "2026-10-12T10:00:00Z")));
        Path day = Files.createDirectories(input.resolve(Inputs.MESSAGES).resolve(Inputs.EVENT_DATE + "=2026-10-13"));
        Files.write(day.resolve("truncated.parquet"), Arrays.copyOf(goodFile(), goodFile().length / 2));
        assertEquals(3, MainRunner.run(KEY, "nightly", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--as-of", AS_OF).exit());
        // A nightly run killed after planning its batch (the truncated file, still not processed).
        DeltaWriter writer = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        long batch = Nightly.start(writer, TestSpark.session(),
                Nightly.plan(writer, new InputReader(TestSpark.session(), Location.of(input)), Optional.empty()), "killed-run");

        MainRunner.Outcome noted = close(warehouse, "2026-10");

        assertEquals(0, noted.exit(), noted.err());
        List<String> lines = noted.out().lines().filter(l -> l.startsWith("close 2026-10:")).toList();
        assertEquals(4, lines.size(), noted.out());
        assertEquals("close 2026-10: 0 DRAFT invoice lines are now FINAL", lines.get(0));
        assertTrue(lines.get(1).startsWith("close 2026-10: nightly batch [" + batch + "] is unfinished"), lines.get(1));
        assertTrue(lines.get(2).startsWith("close 2026-10: 1 raw files that may hold usage of the month were set aside"), lines.get(2));
        assertTrue(lines.get(2).endsWith("/messages/event_date=2026-10-13/truncated.parquet NOT_PARQUET]"), lines.get(2));
        assertTrue(lines.get(3).startsWith("close 2026-10: usage of closed site-months changed without being billed "
                + "(runs.unbilled_changes): [s 2026-10]"), lines.get(3));
    }

    private byte[] goodFile() throws IOException {
        Path dir = tmp.resolve("good-file");
        if (!Files.exists(dir)) {
            InputRoots.write(dir, Fixtures.messages(consumer("m-9", "s", "dora", "2026-10-13T10:00:00Z")), true);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return Files.readAllBytes(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow());
        }
    }
}
