package com.darbilling.job;

import static com.darbilling.testing.Warehouses.assertSameTables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental nightly runs over data-samples/ arriving in two waves (with a late file into an old
 * partition) must end where one reprocess of every month ends. A second writer is refused. A run
 * killed with SIGKILL and finished by the next one: StorageEqualityTest, on local disk and on S3.
 */
class NightlyTest {
    private static final Path SAMPLES = Path.of("data-samples");
    private static final PlanCatalog CATALOG = PlanCatalog.load(SAMPLES.resolve("plan-catalog.json"));
    private static final String SECRET = "test-key-0123456789abcdef";

    @TempDir
    static Path tmp;
    private static Path fullInput;
    private static Path reference;
    private static String lateFile;

    private static Commands commands(Path input, Path warehouse) {
        return new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), CATALOG, PseudonymKey.of(SECRET),
                new PrintStream(new ByteArrayOutputStream()));
    }

    /** The sample (small bulk) plus a late file into an old partition, reprocessed month by month: what nightly runs must reach. */
    @BeforeAll
    static void referenceWarehouse() throws IOException {
        fullInput = Warehouses.smallSampleInput(tmp);
        Set<String> before = parquetFiles(fullInput);
        InputRoots.appendMessages(fullInput, List.of(Fixtures.consumer("late-1", "s-newyork", "c-late", "2026-10-05T12:00:00Z")));
        lateFile = parquetFiles(fullInput).stream().filter(f -> !before.contains(f)).findFirst().orElseThrow();
        reference = tmp.resolve("reference");
        Commands commands = commands(fullInput, reference);
        for (String month : List.of("2026-09", "2026-10", "2026-11")) {
            commands.reprocess(YearMonth.parse(month), month);
        }
    }

    private static Set<String> parquetFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** Reference data and the sample's files of partitions before 2026-10-21; not the late file. */
    private static boolean firstWave(Path file) {
        String path = file.toString();
        if (file.getFileName().toString().equals(lateFile)) {
            return false;
        }
        return path.contains("/sites/") || path.contains("/site_plans/")
                || (path.contains("event_date=") && path.compareTo(path.replaceAll("event_date=.*", "event_date=2026-10-21")) < 0);
    }

    @Test
    void nightlyRunsOverWavesOfFilesConvergeToOneReprocess() throws IOException {
        Path input = tmp.resolve("waves");
        FileUtils.copyDirectory(fullInput.toFile(), input.toFile(), f -> f.isDirectory() || firstWave(f.toPath()));
        Path warehouse = tmp.resolve("nightly");
        Commands commands = commands(input, warehouse);
        commands.nightly("wave 1");

        FileUtils.copyDirectory(fullInput.toFile(), input.toFile()); // the rest, the co-browse sessions and the late file into event_date=2026-10-05
        RunRecord second = commands.nightly("wave 2");
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        List<Row> batches = tables.read(StateTables.BATCHES).orderBy("batch_id").collectAsList();
        assertEquals(2, batches.size());
        List<String> secondFiles = batches.get(1).<Row>getList(batches.get(1).fieldIndex("files")).stream()
                .map(f -> f.<String>getAs("path")).toList();
        assertTrue(secondFiles.stream().anyMatch(f -> f.contains("event_date=2026-10-05")), "the late file is picked up");
        assertTrue(secondFiles.stream().noneMatch(f -> f.contains("event_date=2026-10-10")), "old files are not read again");
        assertTrue(second.months().contains("2026-10"));
        assertSameTables(reference, warehouse, "nightly runs against one reprocess");

        long invoiceVersion = tables.version(OutputTables.INVOICE_LINES);
        long darVersion = tables.version(OutputTables.DAILY_ACTIVE_RELATIONSHIPS);
        commands.nightly("nothing new");
        assertEquals(invoiceVersion, tables.version(OutputTables.INVOICE_LINES), "a run with no new data writes nothing");
        assertEquals(darVersion, tables.version(OutputTables.DAILY_ACTIVE_RELATIONSHIPS));

        commands.nightly(java.time.LocalDate.of(2026, 10, 5), "the same day again, on purpose");
        assertSameTables(reference, warehouse, "processing files again changes nothing");
    }

    @Test
    void aSecondWriterIsRefusedNamingTheRunningOne() {
        Path warehouse = tmp.resolve("locked");
        try (WarehouseLock held = WarehouseLock.acquire(Location.of(warehouse), new Configuration(), "run-42", "reprocess")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> commands(fullInput, warehouse).nightly("second"));
            assertTrue(e.getMessage().startsWith("another run is writing this warehouse: run run-42 (reprocess)"), e.getMessage());
        }
    }
}
