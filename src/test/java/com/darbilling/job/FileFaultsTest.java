package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.contract.Inputs;
import com.darbilling.contract.RunStatus;
import com.darbilling.input.EventSource;
import com.darbilling.input.InputReader;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunFailure;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad raw files and failing writes during a run: a nightly bills what it can read and sets the rest
 * aside (exit 3, rejected_files, retried next night); a reprocess fails naming the file; any failure
 * ends FAILED in runs with one line, the lock released, every table at a committed version.
 */
class FileFaultsTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final String AS_OF = "2026-11-01T00:00:00Z";
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @TempDir
    Path tmp;

    /** c-1 on 10-10, c-2 on 10-11 (site s, UTC): the good files. */
    private Path goodInput() {
        return InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "s", "c-1", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "s", "c-2", "2026-10-11T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
    }

    /** The bytes of a good Parquet file holding one message of {@code consumer} on 10-12. */
    private byte[] goodFileOf(String consumer) throws IOException {
        Path dir = tmp.resolve("bytes-" + consumer);
        InputRoots.write(dir, Fixtures.messages(consumer("m-" + consumer, "s", consumer, "2026-10-12T10:00:00Z")), true);
        try (Stream<Path> files = Files.walk(dir)) {
            return Files.readAllBytes(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow());
        }
    }

    private static Path partition(Path input, String date) throws IOException {
        return Files.createDirectories(input.resolve(Inputs.MESSAGES).resolve(Inputs.EVENT_DATE + "=" + date));
    }

    /** Four bad files in partition 10-12: truncated, not Parquet, empty, a corrupt page behind a good footer. */
    private Map<String, Path> addBadFiles(Path input) throws IOException {
        Path day = partition(input, "2026-10-12");
        byte[] good = goodFileOf("c-9");
        byte[] corrupt = good.clone();
        Arrays.fill(corrupt, 4, 60, (byte) 0xAB); // the first page header; the footer at the end stays intact
        Map<String, Path> bad = new TreeMap<>();
        bad.put("truncated", Files.write(day.resolve("truncated.parquet"), Arrays.copyOf(good, good.length / 2)));
        bad.put("not-parquet", Files.writeString(day.resolve("export.csv"), "message_id,site_id\nm-x,s\n"));
        bad.put("empty", Files.write(day.resolve("empty.parquet"), new byte[0]));
        bad.put("corrupt-page", Files.write(day.resolve("corrupt-page.parquet"), corrupt));
        return bad;
    }

    private Path keyFile() throws IOException {
        return Files.writeString(tmp.resolve("billing.key"), KEY);
    }

    private static Row lastRun(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.RUNS).orderBy(functions.col("started_at").desc()).first();
    }

    private static Map<String, String> rejected(Path warehouse, String runId) {
        Map<String, String> byFile = new TreeMap<>();
        new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.REJECTED_FILES).where(functions.col("run_id").equalTo(runId))
                .collectAsList().forEach(r -> byFile.put(Path.of(java.net.URI.create(r.getAs("input_file"))).getFileName().toString(),
                        r.getAs("reason")));
        return byFile;
    }

    @Test
    void nightlyBillsWhatItCanReadAndTheReplacedFilesTheNextNight() throws IOException {
        Path input = goodInput();
        Map<String, Path> bad = addBadFiles(input);
        Path warehouse = tmp.resolve("warehouse");
        String[] nightly = {"nightly", "--input", input.toString(), "--warehouse", warehouse.toString(), "--as-of", AS_OF,
                "--pseudonym-key-file", keyFile().toString()};

        MainRunner.Outcome first = MainRunner.run(nightly);

        assertEquals(3, first.exit(), first.err());
        assertEquals(1, first.err().lines().count(), first.err());
        assertTrue(first.err().contains("4 raw files could not be read and were not billed"), first.err());
        Row run = lastRun(warehouse);
        assertEquals("PARTIAL", run.getAs("status"));
        assertEquals(4L, (long) run.getAs("files_rejected"));
        assertEquals(1L, (long) run.getAs("files_empty"));
        assertEquals(Map.of("corrupt-page.parquet", "READ_ERROR", "empty.parquet", "EMPTY_FILE", "export.csv", "NOT_PARQUET",
                "truncated.parquet", "NOT_PARQUET"), rejected(warehouse, run.getAs("run_id")));
        for (String file : List.of("truncated.parquet", "export.csv", "empty.parquet", "corrupt-page.parquet")) {
            assertEquals(1, first.out().lines().filter(l -> l.contains(file)).count(), file + " is named once on stdout:\n" + first.out());
        }
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        assertEquals(2, tables.read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count(), "c-1 and c-2 billed");
        assertEquals(2, tables.read(StateTables.PROCESSED_FILES).count(), "the two good files only are processed");

        // The uploads are repeated: each bad file is replaced by a good one under the same name.
        for (var entry : bad.entrySet()) {
            Files.write(entry.getValue(), goodFileOf("c-" + entry.getKey()));
        }
        MainRunner.Outcome second = MainRunner.run(nightly);

        assertEquals(0, second.exit(), second.err() + second.out());
        assertEquals("SUCCEEDED", lastRun(warehouse).getAs("status"));
        Path reference = tmp.resolve("reference");
        new Commands(TestSpark.session(), Location.of(input), Location.of(reference), Catalogs.starterAndGrowth("0.10"), PseudonymKey.of(KEY),
                new PrintStream(new ByteArrayOutputStream())).reprocess(OCTOBER, Optional.of(Instant.parse(AS_OF)), "reference");
        assertEquals(6, new DeltaWriter(TestSpark.session(), Location.of(reference)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
        Warehouses.assertSameTables(reference, warehouse,
                "two nightly runs around the repaired uploads against one reprocess");
    }

    @Test
    void reprocessFailsNamingTheFileAndChangesNoTable() throws IOException {
        Path input = goodInput();
        Path warehouse = tmp.resolve("warehouse");
        String[] reprocess = {"reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", AS_OF, "--pseudonym-key-file", keyFile().toString()};
        assertEquals(0, MainRunner.run(reprocess).exit());
        Map<String, Long> before = versions(warehouse);
        byte[] good = goodFileOf("c-9");
        Path truncated = Files.write(partition(input, "2026-10-12").resolve("truncated.parquet"), Arrays.copyOf(good, good.length / 2));

        MainRunner.Outcome failed = MainRunner.run(reprocess);

        assertEquals(1, failed.exit(), failed.err());
        assertEquals(1, failed.err().lines().count(), failed.err());
        String expected = "input messages: file " + truncated.toUri() + ": NOT_PARQUET (no Parquet footer: not a Parquet file, or truncated";
        assertTrue(failed.err().contains(expected), failed.err());
        Row run = lastRun(warehouse);
        assertEquals("FAILED", run.getAs("status"));
        assertTrue(run.<String>getAs("error").startsWith(expected), run.<String>getAs("error"));
        assertEquals(Optional.empty(), WarehouseLock.holder(Location.of(warehouse), new Configuration()), "the lock is released");
        Map<String, Long> after = versions(warehouse);
        after.remove(OutputTables.RUNS.name());
        after.remove(OutputTables.REJECTED_FILES.name());
        before.remove(OutputTables.RUNS.name());
        before.remove(OutputTables.REJECTED_FILES.name());
        assertEquals(before, after, "no billing table was written");
    }

    /** A file deleted after it was listed and checked, while the batch reads it: set aside, the rest billed. */
    @Test
    void aFileDeletedWhileTheNightlyReadsItIsSetAside() throws IOException {
        Path input = goodInput();
        Path late = Files.write(partition(input, "2026-10-12").resolve("late.parquet"), goodFileOf("c-late"));
        Path warehouse = tmp.resolve("warehouse");
        InputReader deletingReader = new InputReader(TestSpark.session(), Location.of(input)) {
            @Override
            public Dataset<Row> files(EventSource source, List<String> paths) {
                Dataset<Row> rows = super.files(source, paths);
                try {
                    Files.deleteIfExists(late); // after Spark listed it, before a task reads it
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return rows;
            }
        };
        Commands commands = new Commands(TestSpark.session(), deletingReader, new DeltaWriter(TestSpark.session(), Location.of(warehouse)),
                Catalogs.starterAndGrowth("0.10"), PseudonymKey.of(KEY), new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());

        RunRecord run = commands.nightly(Optional.empty(), Optional.of(Instant.parse(AS_OF)), "nightly");

        assertEquals(RunStatus.PARTIAL, run.status());
        assertEquals(Map.of("late.parquet", "MISSING_FILE"), rejected(warehouse, run.runId()));
        assertEquals(2, new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
    }

    /** A Delta write whose Spark job fails: the table stays at its version, the run is FAILED, the lock released. */
    @Test
    void aFailingDeltaWriteLeavesTheTableAtItsVersion() throws IOException {
        Path input = goodInput();
        Path warehouse = tmp.resolve("warehouse");
        UDF1<String, String> diskFull = value -> {
            throw new IllegalStateException("injected: No space left on device");
        };
        DeltaWriter failingDars = new DeltaWriter(TestSpark.session(), Location.of(warehouse)) {
            @Override
            public void replace(TableSpec table, Dataset<Row> rows, org.apache.spark.sql.Column predicate) {
                super.replace(table, table == OutputTables.DAILY_ACTIVE_RELATIONSHIPS
                        ? rows.withColumn(Inputs.CONSUMER_ID, functions.udf(diskFull, DataTypes.StringType).apply(functions.col(Inputs.CONSUMER_ID)))
                        : rows, predicate);
            }
        };
        Commands good = new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), Catalogs.starterAndGrowth("0.10"), PseudonymKey.of(KEY),
                new PrintStream(new ByteArrayOutputStream()));
        good.reprocess(OCTOBER, Optional.of(Instant.parse(AS_OF)), "good");
        long darVersion = new DeltaWriter(TestSpark.session(), Location.of(warehouse)).version(OutputTables.DAILY_ACTIVE_RELATIONSHIPS);
        Commands failing = new Commands(TestSpark.session(), new InputReader(TestSpark.session(), Location.of(input)), failingDars,
                Catalogs.starterAndGrowth("0.10"), PseudonymKey.of(KEY), new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());

        RunFailure failure = assertThrows(RunFailure.class,
                () -> failing.reprocess(OCTOBER, Optional.of(Instant.parse(AS_OF)), "failing"));

        assertTrue(failure.getMessage().endsWith(": injected: No space left on device"), failure.getMessage());
        assertEquals(1, failure.getMessage().lines().count());
        Row run = lastRun(warehouse);
        assertEquals("FAILED", run.getAs("status"));
        assertEquals(failure.getMessage(), run.getAs("error"));
        assertEquals(darVersion, new DeltaWriter(TestSpark.session(), Location.of(warehouse)).version(OutputTables.DAILY_ACTIVE_RELATIONSHIPS));
        assertEquals(2, new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
        assertEquals(Optional.empty(), WarehouseLock.holder(Location.of(warehouse), new Configuration()), "the lock is released");
    }

    private static Map<String, Long> versions(Path warehouse) {
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        Map<String, Long> versions = new TreeMap<>();
        Stream.concat(OutputTables.ALL.stream(), StateTables.MONTH_STATE.stream()).forEach(t -> versions.put(t.name(), tables.version(t)));
        return versions;
    }
}
