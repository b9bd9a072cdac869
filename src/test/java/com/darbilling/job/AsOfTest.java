package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.Columns;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunRecord;
import com.darbilling.run.Runs;
import com.darbilling.storage.Location;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's result depends on its inputs and its explicit cutoff, never on the day it runs: the
 * clock is injected, and the same reprocess at different "now" values with the same --as-of gives
 * the same tables. Without --as-of the cutoff is the run's start, and rows after it are reported.
 */
class AsOfTest {
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    /** Now = the run's start when no --as-of is given; the cutoff is then 2026-11-30T15:00Z (a day later). */
    private static final Instant NOW_ON_THE_29TH = Instant.parse("2026-11-29T15:00:00Z");
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    static Path tmp;
    private static Path input;

    /**
     * s-utc (UTC): c-early on 11-10; c-before at 11-30T14:00Z (before the default cutoff); c-after1
     * at 11-30T16:00Z and c-after2 at 23:59Z (after it). s-la (Los Angeles, PST = UTC-8): c-west at
     * 12-01T05:00Z = 11-30 21:00 local, read from partition event_date=2026-12-01.
     */
    @BeforeAll
    static void input() {
        input = InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-early", "s-utc", "c-early", "2026-11-10T10:00:00Z"),
                        consumer("m-before", "s-utc", "c-before", "2026-11-30T14:00:00Z"),
                        consumer("m-after1", "s-utc", "c-after1", "2026-11-30T16:00:00Z"),
                        consumer("m-after2", "s-utc", "c-after2", "2026-11-30T23:59:00Z"),
                        consumer("m-west", "s-la", "c-west", "2026-12-01T05:00:00Z")),
                List.of(site("s-utc", "UTC"), site("s-la", "America/Los_Angeles")),
                List.of(plan("s-utc", "starter", null, null), plan("s-la", "starter", null, null)));
    }

    private record Run(RunRecord record, String report, Path warehouse) {
    }

    private static Run reprocess(String warehouseName, Instant now, Optional<Instant> asOf) {
        Path warehouse = tmp.resolve(warehouseName);
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        Commands commands = new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), Catalogs.starterAndGrowth("0.10"),
                PseudonymKey.of("test-key-0123456789abcdef"), new PrintStream(report, true, StandardCharsets.UTF_8),
                Clock.fixed(now, ZoneOffset.UTC));
        RunRecord record = commands.reprocess(NOVEMBER, asOf, "--month 2026-11");
        return new Run(record, report.toString(StandardCharsets.UTF_8), warehouse);
    }

    private static TreeSet<String> darDays(Path warehouse) {
        TreeSet<String> days = new TreeSet<>();
        new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS)
                .collectAsList().forEach(r -> days.add(r.getString(0) + " " + r.<LocalDate>getAs("local_date")));
        return days;
    }

    private static Row runsRow(Run run) {
        return new DeltaWriter(TestSpark.session(), Location.of(run.warehouse())).read(OutputTables.RUNS)
                .where(col(Columns.RUN_ID).equalTo(run.record().runId())).first();
    }

    @Test
    void theSameAsOfGivesTheSameTablesWhateverTheDayOfTheRun() {
        Run early = reprocess("before-the-month-ends", NOW_ON_THE_29TH, Optional.of(AS_OF));
        Run late = reprocess("half-a-year-later", Instant.parse("2027-06-01T08:00:00Z"), Optional.of(AS_OF));

        Warehouses.assertSameTables(early.warehouse(), late.warehouse(),
                "two runs with the same --as-of on different days");
        // Every end user of November, c-west included (11-30 local in Los Angeles): 5 DARs, nothing quarantined.
        assertEquals(new TreeSet<>(List.of("s-la 2026-11-30", "s-utc 2026-11-10", "s-utc 2026-11-30")), darDays(early.warehouse()));
        assertEquals(5, new DeltaWriter(TestSpark.session(), Location.of(early.warehouse())).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
        assertEquals(0, new DeltaWriter(TestSpark.session(), Location.of(early.warehouse())).read(OutputTables.QUARANTINE).count());
        for (Run run : List.of(early, late)) {
            assertEquals(AS_OF, runsRow(run).getAs("as_of"));
            assertTrue(run.report().contains("as of 2026-12-01T00:00:00Z"), run.report());
            assertTrue(!run.report().contains("--as-of"), run.report());
        }
        assertEquals(NOW_ON_THE_29TH, runsRow(early).getAs("started_at"));
    }

    @Test
    void withoutAsOfTheRunsStartIsTheCutoffAndTheReportSaysSo() {
        Run run = reprocess("default-cutoff", NOW_ON_THE_29TH, Optional.empty());

        // Cutoff 2026-11-30T15:00Z: c-after1 and c-after2 (partition 11-30, November's run reports them)
        // are quarantined; c-west (partition 12-01) is after it too, reported by December's run.
        assertEquals(2, new DeltaWriter(TestSpark.session(), Location.of(run.warehouse())).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count());
        List<Row> quarantined = new DeltaWriter(TestSpark.session(), Location.of(run.warehouse())).read(OutputTables.QUARANTINE)
                .orderBy("record").collectAsList();
        assertEquals(2, quarantined.size());
        for (Row row : quarantined) {
            assertEquals("TIMESTAMP_OUT_OF_RANGE", row.getAs("reason"));
        }
        assertTrue(quarantined.get(0).<String>getAs("record").contains("\"message_id\":\"m-after1\""));
        assertTrue(quarantined.get(1).<String>getAs("record").contains("\"message_id\":\"m-after2\""));

        assertEquals(NOW_ON_THE_29TH, runsRow(run).getAs("as_of"));
        assertEquals(Long.valueOf(3), runsRow(run).getJavaMap(runsRow(run).fieldIndex("row_counts")).get("messages.2026-11.after_as_of"));
        List<String> cutoffLines = run.report().lines().filter(l -> l.contains("--as-of")).toList();
        assertEquals(1, cutoffLines.size(), run.report());
        assertTrue(cutoffLines.get(0).contains("3 rows lie more than a day after the cutoff 2026-11-29T15:00:00Z"), cutoffLines.get(0));
        everyCommitNamesTheRun(run);
    }

    /** Each commit of each table the run wrote (the table creations too) carries its run id; the session keeps none after it. */
    private static void everyCommitNamesTheRun(Run run) {
        List<Path> logs;
        try (Stream<Path> files = Files.walk(run.warehouse())) {
            logs = files.filter(f -> f.getFileName().toString().equals("_delta_log")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(logs.size() >= 10, "tables written: " + logs);
        for (Path log : logs) {
            List<Row> commits = DeltaTable.forPath(TestSpark.session(), log.getParent().toString()).history()
                    .select("version", "operation", "userMetadata").collectAsList();
            for (Row commit : commits) {
                assertEquals(run.record().runId(), commit.getAs("userMetadata"), log.getParent() + " version " + commit.getAs("version")
                        + " (" + commit.getAs("operation") + ")");
            }
        }
        assertTrue(TestSpark.session().conf().getOption(Runs.COMMIT_USER_METADATA).isEmpty());
    }
}
