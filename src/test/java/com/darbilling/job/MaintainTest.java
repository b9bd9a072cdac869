package com.darbilling.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * maintain after a reprocess and a nightly: every table keeps its rows, the files no version of the
 * retention reads are removed and counted, later runs and readers go on; time travel to a version
 * whose files are gone fails on a missing file (the notebook names that case).
 */
class MaintainTest {
    private static final Map<String, String> KEY = Map.of("BILLING_PSEUDONYM_KEY", StorageScenario.SECRET);

    @TempDir
    Path tmp;

    @Test
    void maintainRemovesOnlyFilesNoVersionOfTheRetentionReadsAndChangesNoRow() {
        Path input = Warehouses.smallSampleInput(tmp);
        Location warehouse = Location.of(tmp.resolve("warehouse"));
        Commands commands = StorageScenario.commands(Location.of(input), warehouse);
        commands.reprocess(StorageScenario.OCTOBER, Optional.of(StorageScenario.AS_OF), "reprocess");
        InputRoots.appendMessages(input, List.of(Fixtures.consumer("late-1", "s-newyork", "c-late", "2026-10-05T12:00:00Z")));
        commands.nightly(Optional.empty(), Optional.of(StorageScenario.AS_OF), "nightly");
        long invoiceVersionBefore = new DeltaWriter(TestSpark.session(), warehouse).version(OutputTables.INVOICE_LINES);

        Map<String, Set<String>> rowsBefore = rows(warehouse);
        Map<String, Set<String>> filesBefore = dataFiles(warehouse);
        long unreferenced = filesBefore.entrySet().stream()
                .mapToLong(e -> e.getValue().stream().filter(f -> !referenced(warehouse, e.getKey()).contains(f)).count()).sum();
        assertTrue(unreferenced > 0, "the reprocess and the nightly replaced files");

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        List<WarehouseMaintenance.TableResult> results;
        System.setProperty("billing.maintain.minRetainDays", "0");
        try {
            results = new WarehouseMaintenance(TestSpark.session(), warehouse, new PrintStream(report, true, StandardCharsets.UTF_8))
                    .maintain(0, "maintain --retain 0");
        } finally {
            System.clearProperty("billing.maintain.minRetainDays");
        }
        String printed = report.toString(StandardCharsets.UTF_8);

        Map<String, Set<String>> filesAfter = dataFiles(warehouse);
        long removedInAll = 0;
        for (WarehouseMaintenance.TableResult result : results) {
            Set<String> before = filesBefore.get(result.table());
            long removedOnDisk = before.stream().filter(f -> !filesAfter.get(result.table()).contains(f)).count();
            removedInAll += result.filesRemoved();
            if (result.table().equals(OutputTables.RUNS.name())) {
                // maintain's own RUNNING row went into a file after the count above, and compaction took it in
                assertTrue(result.filesRemoved() >= removedOnDisk, printed);
            } else {
                assertEquals(removedOnDisk, result.filesRemoved(), result.table() + " " + printed);
            }
        }
        assertEquals(filesBefore.keySet(), results.stream().map(WarehouseMaintenance.TableResult::table).collect(Collectors.toSet()),
                "every table maintained");
        long removedReported = removedInAll;
        assertTrue(removedReported >= unreferenced, "at least the files replaced before maintain: " + printed);
        filesAfter.forEach((table, files) -> {
            Set<String> read = referenced(warehouse, table);
            if (table.equals(OutputTables.RUNS.name())) {
                // maintain's own runs row was replaced after the VACUUM: the file it replaced is the one left unread
                assertTrue(files.containsAll(read) && files.size() - read.size() <= 1, table + ": " + files + " " + read);
            } else {
                assertEquals(read, files, table + ": every file left is read by the latest version");
            }
        });
        assertEquals(rowsBefore.keySet(), rows(warehouse).keySet());
        Map<String, Set<String>> rowsAfter = rows(warehouse);
        rowsBefore.forEach((table, rows) -> {
            if (table.equals(OutputTables.RUNS.name())) {
                assertTrue(rowsAfter.get(table).containsAll(rows), "runs keeps its rows");
                assertEquals(rows.size() + 1, rowsAfter.get(table).size(), "and adds the maintain run's");
            } else {
                assertEquals(rows, rowsAfter.get(table), table + " keeps its rows");
            }
        });
        assertTrue(printed.contains("  invoice_lines: compacted "), printed);
        assertTrue(printed.lines().anyMatch(l -> l.startsWith("maintain: " + results.size() + " tables; compacted ")
                && l.contains("; removed " + removedReported + " files")), printed);

        // Time travel to a version one of whose files was removed fails.
        String invoices = warehouse.resolve("invoice_lines").forSpark();
        DeltaLog log = DeltaLog.forTable(TestSpark.session(), invoices);
        Set<String> onDisk = filesAfter.get("invoice_lines");
        long vacuumedVersion = java.util.stream.LongStream.rangeClosed(0, invoiceVersionBefore)
                .filter(v -> log.getSnapshotAt(v, scala.Option.empty(), scala.Option.empty()).allFiles().toDF().select("path")
                        .collectAsList().stream().anyMatch(r -> !onDisk.contains(java.net.URLDecoder.decode(r.getString(0), StandardCharsets.UTF_8))))
                .findFirst().orElseThrow(() -> new AssertionError("no invoice_lines version lost a file"));
        Exception vacuumed = assertThrows(Exception.class, () -> TestSpark.session().read().format("delta")
                .option("versionAsOf", vacuumedVersion).load(invoices).collectAsList());
        // The message notebooks/billing_notebook.time_travel_refused recognises (notebooks/tools/test_helpers.py has its shape).
        assertTrue(vacuumed.getMessage().matches("(?s).*SparkFileNotFoundException: File .*invoice_lines/.* does not exist.*"),
                vacuumed.getMessage());

        // Later runs go on, and the tables still equal one reprocess.
        InputRoots.appendMessages(input, List.of(Fixtures.consumer("late-2", "s-newyork", "c-late-2", "2026-10-06T12:00:00Z")));
        commands.nightly(Optional.empty(), Optional.of(StorageScenario.AS_OF), "nightly after maintain");
        Location reprocessed = Location.of(tmp.resolve("reprocessed"));
        Commands oneReprocess = StorageScenario.commands(Location.of(input), reprocessed);
        new DeltaWriter(TestSpark.session(), warehouse).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).select("billing_month").distinct()
                .collectAsList().stream().map(r -> java.time.YearMonth.parse(r.getString(0))).sorted()
                .forEach(month -> oneReprocess.reprocess(month, Optional.of(StorageScenario.AS_OF), "one per month"));
        Warehouses.assertSameTables(reprocessed, warehouse, "after maintain and a nightly");
    }

    @Test
    void aRetentionBelowTheMinimumAndAMissingWarehouseAreRefused() {
        Path warehouse = tmp.resolve("none");
        MainRunner.Outcome missing = MainRunner.run(KEY, "maintain", "--warehouse", warehouse.toString());
        assertEquals(2, missing.exit(), missing.err());
        assertEquals("billing: maintain refused, nothing written: no warehouse at " + warehouse + " (no runs table); check --warehouse",
                missing.err().strip());
        assertFalse(Files.exists(warehouse));
        MainRunner.Outcome short_ = MainRunner.run(KEY, "maintain", "--warehouse", warehouse.toString(), "--retain", "6");
        assertEquals(2, short_.exit(), short_.err());
        assertEquals("billing: maintain refused, nothing written: --retain 6 is below the minimum of 7 days (a run or a reader may"
                + " still read files that old)", short_.err().strip());
    }

    /** Each Delta table of the warehouse (by its path below it) with its rows as text. */
    private static Map<String, Set<String>> rows(Location warehouse) {
        Map<String, Set<String>> rows = new TreeMap<>();
        for (String table : dataFiles(warehouse).keySet()) {
            rows.put(table, TestSpark.session().read().format("delta").load(warehouse.resolve(table).forSpark()).collectAsList().stream()
                    .map(Row::toString).collect(Collectors.toCollection(TreeSet::new)));
        }
        return rows;
    }

    /** Each Delta table of the warehouse (by its path below it) with the data files on disk (relative to the table). */
    private static Map<String, Set<String>> dataFiles(Location warehouse) {
        Path root = warehouse.localPath();
        Map<String, Set<String>> tables = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path log : walk.filter(p -> p.getFileName().toString().equals("_delta_log")).toList()) {
                Path table = log.getParent();
                try (Stream<Path> files = Files.walk(table)) {
                    tables.put(root.relativize(table).toString(), files.filter(Files::isRegularFile)
                            .filter(f -> !f.startsWith(log) && f.getFileName().toString().endsWith(".parquet"))
                            .map(f -> table.relativize(f).toString()).collect(Collectors.toCollection(TreeSet::new)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tables;
    }

    /** The data files the table's latest version reads (relative to the table, decoded as on disk). */
    private static Set<String> referenced(Location warehouse, String table) {
        return DeltaLog.forTable(TestSpark.session(), warehouse.resolve(table).forSpark())
                .update(false, scala.Option.empty(), scala.Option.empty()).allFiles().toDF().select("path").collectAsList().stream()
                .map(r -> java.net.URLDecoder.decode(r.getString(0), StandardCharsets.UTF_8)).collect(Collectors.toCollection(TreeSet::new));
    }
}
