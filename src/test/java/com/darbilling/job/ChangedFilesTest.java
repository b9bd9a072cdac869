package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw file billed by nightly and then rewritten in place or deleted: nightly does not merge it,
 * names it with the reprocess of each month it touches and exits 3, run after run, until that
 * reprocess is done; then nightly is quiet, and the warehouse equals one reprocess.
 */
class ChangedFilesTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final String AS_OF = "2026-11-01T00:00:00Z";
    private static final Map<String, String> ENV = Map.of("BILLING_PSEUDONYM_KEY", KEY);

    @TempDir
    Path tmp;

    /** ann and bob on 2026-10-10 (one file), carl on 2026-10-20 (another): every local date of both files is in October. */
    private Path input() {
        return InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "s", "ann", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "s", "bob", "2026-10-10T11:00:00Z"),
                        consumer("m-3", "s", "carl", "2026-10-20T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
    }

    private static Path onlyFile(Path input, String eventDate) {
        try (Stream<Path> files = Files.list(input.resolve(Inputs.MESSAGES).resolve(Inputs.EVENT_DATE + "=" + eventDate))) {
            List<Path> parquet = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
            assertEquals(1, parquet.size(), parquet.toString());
            return parquet.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file as the job names it (processed_files.path, the lines it prints). */
    private static String name(Path file) {
        return "file://" + file.toAbsolutePath();
    }

    /** Deletes a file and Hadoop's local checksum beside it (a rewritten file with the old checksum would not read). */
    private static void delete(Path file) throws IOException {
        Files.delete(file);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    /** Rewrites {@code file} in place with {@code rows}: the same name, another size and modification time. */
    private void rewrite(Path file, List<Row> rows) throws IOException {
        Path scratch = tmp.resolve("scratch");
        InputRoots.write(scratch, TestSpark.session().createDataFrame(rows, EventSource.MESSAGES.schema()), false);
        Path written;
        try (Stream<Path> files = Files.list(scratch)) {
            written = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        delete(file);
        Files.copy(written, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> dars(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS)
                .select("local_date").collectAsList().stream().map(r -> r.get(0).toString()).sorted().toList();
    }

    private static MainRunner.Outcome nightly(Path input, Path warehouse) {
        return MainRunner.run(ENV, "nightly", "--input", input.toString(), "--warehouse", warehouse.toString(), "--as-of", AS_OF);
    }

    private static MainRunner.Outcome reprocess(Path input, Path warehouse) {
        return MainRunner.run(ENV, "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", AS_OF);
    }

    @Test
    void aFileRewrittenInPlaceWaitsForTheReprocessOfItsMonthAndNightlyNamesItUntilThen() throws IOException {
        Path input = input();
        Path warehouse = tmp.resolve("warehouse");
        assertEquals(0, nightly(input, warehouse).exit());
        assertEquals(List.of("2026-10-10", "2026-10-10", "2026-10-20"), dars(warehouse));

        // The corrected upload of 2026-10-10 under the same name: dave too.
        Path file = onlyFile(input, "2026-10-10");
        rewrite(file, List.of(
                row("m-1", "ann", "2026-10-10T10:00:00Z"), row("m-2", "bob", "2026-10-10T11:00:00Z"), row("m-4", "dave", "2026-10-10T12:00:00Z")));
        for (int night = 1; night <= 2; night++) {
            MainRunner.Outcome changed = nightly(input, warehouse);
            assertEquals(3, changed.exit(), "night " + night + ": " + changed.err() + changed.out());
            List<String> lines = changed.out().lines().filter(l -> l.contains(name(file))).toList();
            assertEquals(1, lines.size(), changed.out());
            assertTrue(lines.get(0).startsWith("changed after it was billed, not merged"), lines.get(0));
            assertTrue(lines.get(0).endsWith("apply it with jobs/billing reprocess --month 2026-10 --input " + input + " --warehouse "
                    + warehouse), lines.get(0));
            assertTrue(changed.err().contains("1 raw files changed or gone after they were billed"), changed.err());
            assertEquals(List.of("2026-10-10", "2026-10-10", "2026-10-20"), dars(warehouse), "night " + night + " merged nothing of it");
        }
        List<String> notes = CloseNotes.of(new DeltaWriter(TestSpark.session(), Location.of(warehouse)), YearMonth.of(2026, 10));
        assertTrue(notes.stream().anyMatch(n -> n.contains("changed or deleted since") && n.contains(name(file))), notes.toString());

        MainRunner.Outcome reprocessed = reprocess(input, warehouse);
        assertEquals(0, reprocessed.exit(), reprocessed.err());
        assertTrue(reprocessed.out().contains("changed file billed as it is now in every month it touches: " + name(file)), reprocessed.out());
        assertEquals(List.of("2026-10-10", "2026-10-10", "2026-10-10", "2026-10-20"), dars(warehouse), "dave is billed");
        MainRunner.Outcome quiet = nightly(input, warehouse);
        assertEquals(0, quiet.exit(), quiet.err() + quiet.out());
        assertTrue(quiet.out().contains("no new raw files since the last run; nothing to do"), quiet.out());

        Path reference = tmp.resolve("reference");
        assertEquals(0, reprocess(input, reference).exit());
        Warehouses.assertSameTables(reference, warehouse, "nightly, a rewrite, reprocess and nightly against one reprocess");
    }

    @Test
    void aDeletedFileWaitsForTheReprocessOfItsMonthThatTakesItsDarsOut() throws IOException {
        Path input = input();
        Path warehouse = tmp.resolve("warehouse");
        assertEquals(0, nightly(input, warehouse).exit());

        Path file = onlyFile(input, "2026-10-20");
        delete(file);
        MainRunner.Outcome gone = nightly(input, warehouse);
        assertEquals(3, gone.exit(), gone.err() + gone.out());
        List<String> lines = gone.out().lines().filter(l -> l.contains(name(file))).toList();
        assertEquals(1, lines.size(), gone.out());
        assertTrue(lines.get(0).startsWith("gone after it was billed"), lines.get(0));
        assertTrue(lines.get(0).contains("jobs/billing reprocess --month 2026-10 --input " + input), lines.get(0));
        assertFalse(lines.get(0).contains("2026-09") || lines.get(0).contains("2026-11"), lines.get(0));
        assertEquals(List.of("2026-10-10", "2026-10-10", "2026-10-20"), dars(warehouse), "carl stays billed until the reprocess");

        assertEquals(0, reprocess(input, warehouse).exit());
        assertEquals(List.of("2026-10-10", "2026-10-10"), dars(warehouse), "carl's DAR is gone with his file");
        MainRunner.Outcome quiet = nightly(input, warehouse);
        assertEquals(0, quiet.exit(), quiet.err() + quiet.out());
        assertTrue(quiet.out().contains("nothing to do"), quiet.out());

        Path reference = tmp.resolve("reference");
        assertEquals(0, reprocess(input, reference).exit());
        Warehouses.assertSameTables(reference, warehouse, "nightly, a deletion, reprocess and nightly against one reprocess");
    }

    /**
     * A file of messages/ outside the event_date folders (zed's message): its rows have no UTC date.
     * nightly sets it aside (OUTSIDE_PARTITION, not billed, exit 3) and reprocess, which lists it too,
     * fails naming it, as for an unreadable file: both commands judge the same files.
     */
    @Test
    void aFileOutsideTheEventDateFoldersIsSetAsideByNightlyAndFailsAReprocess() throws IOException {
        Path input = input();
        Path stray = input.resolve(Inputs.MESSAGES).resolve("stray.parquet");
        Path scratch = tmp.resolve("scratch");
        InputRoots.write(scratch, TestSpark.session().createDataFrame(List.of(row("m-9", "zed", "2026-10-12T10:00:00Z")),
                EventSource.MESSAGES.schema()), false);
        try (Stream<Path> files = Files.list(scratch)) {
            Files.copy(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(), stray);
        }
        Path warehouse = tmp.resolve("warehouse");
        MainRunner.Outcome night = nightly(input, warehouse);
        assertEquals(3, night.exit(), night.err() + night.out());
        assertTrue(night.out().contains("rejected, not billed (the next nightly run tries it again): input messages: file " + name(stray)
                + ": OUTSIDE_PARTITION"), night.out());
        assertEquals(List.of("2026-10-10", "2026-10-10", "2026-10-20"), dars(warehouse), "ann, bob, carl; not zed");
        assertEquals(List.of("OUTSIDE_PARTITION"), new DeltaWriter(TestSpark.session(), Location.of(warehouse))
                .read(OutputTables.REJECTED_FILES).select("reason").collectAsList().stream().map(r -> r.getString(0)).toList());

        MainRunner.Outcome reprocessed = reprocess(input, warehouse);
        assertEquals(1, reprocessed.exit(), reprocessed.out());
        assertTrue(reprocessed.err().contains("input messages: file " + name(stray) + ": OUTSIDE_PARTITION"), reprocessed.err());
        assertEquals(List.of("2026-10-10", "2026-10-10", "2026-10-20"), dars(warehouse), "the failed reprocess wrote no DAR");
    }

    /** A message row without its event_date (the rewritten file lies in its partition folder already). */
    private static Row row(String id, String consumer, String sentAt) {
        Row full = consumer(id, "s", consumer, sentAt);
        Object[] values = new Object[full.length() - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = full.get(i);
        }
        return RowFactory.create(values);
    }
}
