package com.darbilling.projection;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.job.Commands;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.TableSpec;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.statement.Statements;
import com.darbilling.storage.Location;
import com.darbilling.testing.Dom;
import com.darbilling.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample month billed on the 13th, with a reprocess and with nightly runs as the files arrive:
 * the plan segments and projections written, the levels that went up announced once, and the
 * projection on the statement of the month in progress. Figures worked by hand in the comments.
 */
class UsageOutlookTest {
    private static final Path SAMPLES = Path.of("data-samples");
    private static final PlanCatalog CATALOG = PlanCatalog.load(SAMPLES.resolve("plan-catalog.json"));
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Instant THIRTEENTH = Instant.parse("2026-10-13T00:00:00Z");
    private static final Instant TENTH = Instant.parse("2026-10-10T00:00:00Z");

    @TempDir
    static Path tmp;
    private static Path warehouse;
    private static String reprocessOutput;

    private static Commands commands(Path input, Path warehouse, ByteArrayOutputStream out) {
        return new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), CATALOG, PseudonymKey.of("test-key-0123456789abcdef"),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void reprocessOctoberOnTheThirteenth() {
        warehouse = tmp.resolve("reprocessed");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        commands(SAMPLES.resolve("input"), warehouse, out).reprocess(OCTOBER, Optional.of(THIRTEENTH), "--month 2026-10 --as-of " + THIRTEENTH);
        reprocessOutput = out.toString(StandardCharsets.UTF_8);
    }

    private static Row projection(Path warehouse, String site, Instant asOf) {
        List<Row> rows = new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.USAGE_PROJECTIONS)
                .where(col("site_id").equalTo(site).and(col("as_of").equalTo(asOf))).collectAsList();
        assertEquals(1, rows.size(), site + " " + asOf);
        return rows.get(0);
    }

    private static String figures(Row p) {
        return p.getAs("time_zone") + " complete " + p.getAs("complete_days") + "/" + p.getAs("days_in_month") + ", so far "
                + p.getAs("dars_so_far") + ", projected " + p.getAs("projected_dars") + ", included " + p.getAs("included_dar") + ", blocks "
                + p.getAs("projected_overage_blocks") + ", " + p.getAs("projected_overage_amount") + " " + p.getAs("currency") + ", "
                + p.getAs("level");
    }

    @Test
    void aReprocessOfTheMonthInProgressProjectsEverySite() {
        // s-kolkata (+05:30: on 10-13 already): 12 complete days, 2,101 DARs on 10-12:
        // 2,101 + round(2,101 x 19 / 12 = 3,326.6) = 5,428; 3,428 over 2,000 = 35 blocks = 1,365.00.
        assertEquals("Asia/Kolkata complete 12/31, so far 2101, projected 5428, included 2000, blocks 35, 1365.00 USD, OVER",
                figures(projection(warehouse, "s-kolkata", THIRTEENTH)));
        // s-upgrade (UTC): 1,000 on 10-05 (its 3 DARs of 10-20 lie after the cutoff): starter 1,000 + round(1,000 x 3 / 12) = 1,250
        // over 968: 3 blocks = 117.00; growth round(1,000 x 16 / 12) = 1,333 of 2,581.
        assertEquals("UTC complete 12/31, so far 1000, projected 2583, included 3549, blocks 3, 117.00 USD, OVER",
                figures(projection(warehouse, "s-upgrade", THIRTEENTH)));
        // s-newyork (EDT: still 10-12 at 20:00): 11 complete days, ann 10-04 and 10-05, bob 10-10: 3 + round(3 x 20 / 11 = 5.45) = 8.
        assertEquals("America/New_York complete 11/31, so far 3, projected 8, included 2000, blocks 0, 0.00 USD, OK",
                figures(projection(warehouse, "s-newyork", THIRTEENTH)));
        assertTrue(reprocessOutput.contains("projection: s-kolkata 2026-10 new -> OVER: 5,428 DARs projected, 2,000 included, "
                + "35 overage blocks = 1,365.00 USD (2,101 DARs on 12 of 31 days complete, as of 2026-10-13T00:00:00Z)"), reprocessOutput);
        assertEquals(2, reprocessOutput.lines().filter(l -> l.startsWith("projection: ")).count(), reprocessOutput);
    }

    @Test
    void planSegmentsAreWrittenWithTheInvoice() {
        List<String> segments = new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.PLAN_SEGMENTS)
                .where(col("site_id").isin("s-upgrade", "s-mover")).orderBy("site_id", "first_date").collectAsList().stream()
                .map(r -> r.getAs("site_id") + " " + r.getAs("plan_id") + " " + r.getAs("first_date") + ".." + r.getAs("last_date") + " "
                        + r.getAs("segment_days") + "/" + r.getAs("days_in_month") + " included " + r.getAs("included_dar") + " v"
                        + r.getAs("invoice_version") + " " + r.getList(r.fieldIndex("time_zones")))
                .toList();
        assertEquals(List.of(
                "s-mover starter 2026-10-01..2026-10-20 20/31 included 1290 v1 [[America/Los_Angeles,null], [Asia/Tokyo,2026-10-15T00:00:00Z]]",
                "s-mover null 2026-10-21..2026-10-31 11/31 included 0 v1 [[America/Los_Angeles,null], [Asia/Tokyo,2026-10-15T00:00:00Z]]",
                "s-upgrade starter 2026-10-01..2026-10-15 15/31 included 968 v1 [[UTC,null]]",
                "s-upgrade growth 2026-10-16..2026-10-31 16/31 included 2581 v1 [[UTC,null]]"), segments);
    }

    @Test
    void theNewTablesCarryTheirCommentsAndStayOnReaderOneWriterTwo() {
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        for (TableSpec spec : List.of(OutputTables.PLAN_SEGMENTS, OutputTables.USAGE_PROJECTIONS)) {
            Row detail = DeltaTable.forPath(TestSpark.session(), tables.pathOf(spec)).detail().first();
            assertEquals(spec.comment(), detail.getAs("description"), spec.name());
            assertEquals(1, (int) detail.<Integer>getAs("minReaderVersion"), spec.name());
            assertEquals(2, (int) detail.<Integer>getAs("minWriterVersion"), spec.name());
            assertEquals(List.of("billing_month"), detail.getList(detail.fieldIndex("partitionColumns")), spec.name());
            for (StructField field : tables.read(spec).schema().fields()) {
                assertTrue(field.getComment().isDefined(), spec.name() + "." + field.name() + " has no comment");
            }
        }
    }

    @Test
    void theStatementOfTheMonthInProgressShowsItsProjection() throws Exception {
        Path out = tmp.resolve("statements");
        Statements.write(TestSpark.session(), Location.of(warehouse), OCTOBER, Optional.of("s-kolkata"), out, new PrintStream(new ByteArrayOutputStream()));
        Dom page = new Dom(Files.readString(out.resolve("s-kolkata-2026-10.html")));
        assertEquals("OVER", page.one("projection-level"));
        assertEquals("5,428", page.one("projection-dars"));
        assertEquals("35 blocks = 1,365.00 USD", page.one("projection-overage"));
        assertEquals("12", page.one("projection-complete-days"));
        Dom index = new Dom(Files.readString(out.resolve("index.html")));
        assertEquals("OVER 5,428 DARs", index.inRow("data-site", "s-kolkata", "projection"));
    }

    @Test
    void nightlyRunsAnnounceTheSitesWhoseLevelWentUp() throws IOException {
        Path input = tmp.resolve("arriving");
        Path nightly = tmp.resolve("nightly");
        // Wave 1: reference data, co-browse sessions and the messages and invocations filed before 2026-10-10.
        FileUtils.copyDirectory(SAMPLES.resolve("input").toFile(), input.toFile(), f -> f.isDirectory() || !f.toString().contains("event_date=") || f.toString().contains("event_date=2026-09")
                || f.toString().compareTo(f.toString().replaceAll("event_date=.*", "event_date=2026-10-10")) < 0);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        commands(input, nightly, first).nightly(Optional.empty(), Optional.of(TENTH), "wave 1");
        // s-upgrade on the 10th: 9 complete days, 1,000 DARs: starter 1,000 + round(1,000 x 6 / 9 = 666.7) = 1,667 over 968:
        // 7 blocks = 273.00; growth round(1,000 x 16 / 9 = 1,777.8) = 1,778: 3,445 in all.
        assertEquals(List.of("projection: s-upgrade 2026-10 new -> OVER: 3,445 DARs projected, 3,549 included, 7 overage blocks = 273.00 USD "
                        + "(1,000 DARs on 9 of 31 days complete, as of 2026-10-10T00:00:00Z)"),
                first.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("projection: ")).toList());

        FileUtils.copyDirectory(SAMPLES.resolve("input").toFile(), input.toFile());
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        commands(input, nightly, second).nightly(Optional.empty(), Optional.of(THIRTEENTH), "wave 2");
        // s-kolkata appears OVER; s-upgrade was OVER already and is not announced again.
        assertEquals(List.of("projection: s-kolkata 2026-10 new -> OVER: 5,428 DARs projected, 2,000 included, 35 overage blocks = 1,365.00 USD "
                        + "(2,101 DARs on 12 of 31 days complete, as of 2026-10-13T00:00:00Z)"),
                second.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("projection: ")).toList());
        assertEquals(figures(projection(warehouse, "s-upgrade", THIRTEENTH)), figures(projection(nightly, "s-upgrade", THIRTEENTH)),
                "the same projection as one reprocess on the 13th");
        assertEquals("OVER", projection(nightly, "s-upgrade", TENTH).getAs("level"), "the history stays");
    }
}
