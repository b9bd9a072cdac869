package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.input.SourceCounts;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.TableSpec;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import com.darbilling.testing.MarkdownTables;
import com.darbilling.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over data-samples/: reprocess 2026-10 and compare every output with the expectations
 * worked out by hand in data-samples/README.md. The suite runs with the JVM zone Asia/Tokyo and a
 * Turkish locale (pom.xml), so this also shows that results do not depend on the machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleMonthTest {
    private static final Path SAMPLES = Path.of("data-samples");
    private static final Path README = SAMPLES.resolve("README.md");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    /** Pseudonyms below were computed with: printf 'SITE\nCONSUMER' | openssl dgst -sha256 -hmac KEY */
    static final PseudonymKey KEY = PseudonymKey.of("test-key-0123456789abcdef");

    @TempDir
    static Path warehouse;

    private static SparkSession spark;
    private static DeltaWriter tables;
    private static RunRecord october;
    private static Commands commands;

    @BeforeAll
    static void reprocessOctober() {
        spark = TestSpark.session();
        tables = new DeltaWriter(spark, Location.of(warehouse));
        commands = new Commands(spark, Location.of(SAMPLES.resolve("input")), Location.of(warehouse),
                PlanCatalog.load(SAMPLES.resolve("plan-catalog.json")), KEY, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        october = commands.reprocess(OCTOBER, "--month 2026-10");
    }

    private static Dataset<Row> table(TableSpec spec) {
        return spark.read().format("delta").load(tables.pathOf(spec));
    }

    private static String number(BigDecimal value) {
        return value == null ? "-" : value.stripTrailingZeros().toPlainString();
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    @Test
    void theSuiteRunsAwayFromUtc() {
        assertEquals("Asia/Tokyo", TimeZone.getDefault().getID(), "surefire should set -Duser.timezone=Asia/Tokyo");
    }

    @Test
    void invoiceLinesMatchTheHandWorkedExpectations() {
        List<String> expected = new ArrayList<>();
        for (List<String> r : MarkdownTables.table(README, "## Expected invoice lines, 2026-10")) {
            expected.add(String.join("|", r.get(0), r.get(1), r.get(2), r.get(3), number(new BigDecimal(r.get(4))), r.get(5),
                    r.get(6), r.get(7), "1", "DRAFT"));
        }
        List<String> actual = new ArrayList<>();
        for (Row r : table(OutputTables.INVOICE_LINES).where(col("billing_month").equalTo("2026-10"))
                .select("site_id", "plan_id", "plan_version", "line_type", "quantity", "unit_price", "amount", "currency",
                        "invoice_version", "status", "adjusted_line_type").collectAsList()) {
            assertEquals(null, r.get(10));
            actual.add(String.join("|", r.getString(0), text(r.get(1)), text(r.get(2)), r.getString(3), number(r.getDecimal(4)),
                    text(r.get(5)), text(r.get(6)), text(r.get(7)), text(r.get(8)), r.getString(9)));
        }
        assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
    }

    @Test
    void creditUsageMatchesTheHandWorkedExpectations() {
        List<String> expected = MarkdownTables.table(README, "## Expected credit usage, 2026-10").stream()
                .map(r -> String.join("|", r.get(0), r.get(1), r.get(2), number(new BigDecimal(r.get(3))))).sorted().toList();
        List<String> actual = table(OutputTables.CREDIT_USAGE).where(col("billing_month").equalTo("2026-10"))
                .select("site_id", "category", "usage_quantity", "credits").collectAsList().stream()
                .map(r -> String.join("|", r.getString(0), r.getString(1), Long.toString(r.getLong(2)), number(r.getDecimal(3))))
                .sorted().toList();
        assertEquals(expected, actual);
    }

    @Test
    void darsPerSiteMatchTheHandWorkedExpectations() {
        Map<String, Long> expected = new TreeMap<>();
        MarkdownTables.table(README, "## Expected DARs per site, 2026-10").forEach(r -> expected.put(r.get(0), Long.parseLong(r.get(1))));
        Map<String, Long> actual = new TreeMap<>();
        table(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).where(col("billing_month").equalTo("2026-10")).groupBy("site_id").count()
                .collectAsList().forEach(r -> actual.put(r.getString(0), r.getLong(1)));
        assertEquals(expected, actual);
    }

    @Test
    void everyInputRowIsAccountedFor() {
        Map<String, String> expected = new TreeMap<>();
        MarkdownTables.table(README, "## Expected accounting of `reprocess --month 2026-10`").forEach(r -> expected.put(r.get(0),
                String.join(" ", r.subList(1, 6))));
        Map<String, String> actual = new TreeMap<>();
        Map<String, Long> actualReasons = new TreeMap<>();
        for (SourceCounts c : october.counts()) {
            actual.put(c.source(), c.read() + " " + c.accepted() + " " + c.quarantined() + " " + c.duplicates() + " " + c.otherMonth());
            c.quarantinedByReason().forEach((reason, n) -> actualReasons.put(c.source() + " " + reason, n));
        }
        assertEquals(expected, actual);
        Map<String, Long> documentedReasons = new TreeMap<>();
        MarkdownTables.table(README, "### Quarantined rows by reason, 2026-10").forEach(r -> documentedReasons.put(r.get(0) + " " + r.get(1),
                Long.parseLong(r.get(2))));
        assertEquals(documentedReasons, actualReasons);
        // The quarantine table holds exactly the quarantined rows, each with its run and whole record.
        List<Row> quarantine = table(OutputTables.QUARANTINE).collectAsList();
        assertEquals(11, quarantine.size());
        quarantine.forEach(q -> assertEquals(october.runId(), q.getAs("run_id")));
        assertTrue(quarantine.stream().anyMatch(q -> q.<String>getAs("record").contains("\"message_id\":\"bad-6\"")
                && q.<String>getAs("record").contains("\"sent_at\":\"2026-10-12T10:00:00.000Z\"")));
    }

    @Test
    void tablesCarryTheirCommentsAndStayOnReaderOneWriterTwo() {
        for (TableSpec spec : List.of(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, OutputTables.CREDIT_USAGE, OutputTables.INVOICE_LINES,
                OutputTables.QUARANTINE, OutputTables.RUNS)) {
            Row detail = DeltaTable.forPath(spark, tables.pathOf(spec)).detail().first();
            assertEquals(spec.comment(), detail.getAs("description"), spec.name());
            assertEquals(1, (int) detail.<Integer>getAs("minReaderVersion"), spec.name());
            assertEquals(2, (int) detail.<Integer>getAs("minWriterVersion"), spec.name());
            for (StructField field : table(spec).schema().fields()) {
                assertTrue(field.getComment().isDefined(), spec.name() + "." + field.name() + " has no comment");
            }
        }
    }

    @Test
    void noEndUserIdIsStoredInClear() {
        List<String> clear = List.of("c-ann", "c-bob", "c-gus", "c-k0001", "c-u0003", "c-oli", "c-vic", "c-wes", "c-uma", "c-ted");
        for (TableSpec spec : List.of(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, OutputTables.QUARANTINE)) {
            for (Row r : table(spec).collectAsList()) {
                String row = r.toString();
                clear.forEach(id -> assertTrue(!row.contains(id), spec.name() + " holds " + id + ": " + row));
            }
        }
        assertEquals(1, table(OutputTables.DAILY_ACTIVE_RELATIONSHIPS)
                .where(col("consumer_id").equalTo("73c698897d575039e146dd921001671bfc1f89daca5ae79fbd31c6226e6de5e6")) // c-ann
                .where(col("local_date").equalTo(java.sql.Date.valueOf("2026-10-04"))).count());
    }

    /** Runs last: it writes more runs into the shared warehouse the other tests read. */
    @Test
    @Order(Integer.MAX_VALUE)
    void reprocessingAgainReplacesTheMonthAndLeavesOthersAlone() {
        long octoberLines = table(OutputTables.INVOICE_LINES).where(col("billing_month").equalTo("2026-10")).count();
        RunRecord november = commands.reprocess(YearMonth.of(2026, 11), "--month 2026-11");
        RunRecord again = commands.reprocess(OCTOBER, "--month 2026-10");
        assertEquals(octoberLines, table(OutputTables.INVOICE_LINES).where(col("billing_month").equalTo("2026-10")).count());
        // November by hand: dan (New York), max (Kathmandu), quin (mover, no plan: unrated).
        List<String> novemberDars = table(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).where(col("billing_month").equalTo("2026-11"))
                .select("site_id", "consumer_id", "local_date").orderBy("site_id").collectAsList().stream()
                .map(r -> r.getString(0) + " " + r.getString(1) + " " + r.get(2)).toList();
        assertEquals(List.of(
                "s-kathmandu 90b83b62c08f1d6bf6bb87da9f3b3affb0f0e19f29bc97143832b10fe49e6856 2026-11-01", // c-max
                "s-mover 309c4dc4a528045ff9f28b902c199a4c99548a625c60985acf13be4e49b2adcc 2026-11-01", // c-quin
                "s-newyork 710f74855d75302ea94de4e697e16671ed427f348ad25b5c452e630b472fd2cd 2026-11-01"), // c-dan
                novemberDars);
        assertEquals(13, table(OutputTables.INVOICE_LINES).where(col("billing_month").equalTo("2026-11")).count());
        // The co-browse row without started_at belongs to no month: every run reports it, the table keeps it once.
        assertEquals(11, table(OutputTables.QUARANTINE).count());
        assertEquals(1, table(OutputTables.QUARANTINE).where(col("record").contains("cb-bad-1")).count());
        List<String> runs = table(OutputTables.RUNS).select("run_id", "status").collectAsList().stream()
                .map(r -> r.getString(0) + " " + r.getString(1)).sorted().toList();
        assertTrue(runs.containsAll(List.of(october.runId() + " SUCCEEDED", november.runId() + " SUCCEEDED",
                again.runId() + " SUCCEEDED")), runs.toString());
    }
}
