package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.OutputTables;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunRecord;
import com.darbilling.contract.RunStatus;
import com.darbilling.storage.Location;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.tools.InputGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated month of 1,200 sites with few messages each: the rows rating computes on the driver
 * (credit usage, invoice lines, plan segments, projections) are well above
 * {@link LocalRows#BROADCAST_FROM_ROWS}, in a reprocess and in the nightly day after it. DARs per site
 * are checked against a count in plain Java over the generated Parquet (R1, without Spark's functions),
 * and every site with usage has one invoice: the six regular lines of one segment, in version 1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManySitesTest {
    private static final int SITES = 1_200;
    private static final int LATE_SITES = 1_100;
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Instant AS_OF = InputGenerator.completeAsOf(OCTOBER);
    private static final Set<String> COUNTABLE = Set.of("CONSUMER", "AGENT", "BOT");
    private static final Set<String> CHANNELS = Set.of("WEB", "SMS", "EMAIL", "FACEBOOK");
    private static final List<String> REGULAR_LINES = List.of("CREDITS_COBROWSE", "CREDITS_FUNCTIONS", "CREDITS_INTENT_MANAGER",
            "CREDITS_MESSAGING", "DAR_INCLUDED", "DAR_OVERAGE");

    @TempDir
    static Path tmp;
    private static Path input;
    private static Path warehouse;
    private static SparkSession spark;

    private static Commands commands() {
        return new Commands(spark, Location.of(input), Location.of(warehouse), PlanCatalog.bundled(),
                PseudonymKey.of("test-key-0123456789abcdef"), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    @Order(1)
    void aReprocessOf1200SitesBillsEverySite() {
        spark = TestSpark.session();
        input = tmp.resolve("input");
        warehouse = tmp.resolve("warehouse");
        new InputGenerator(spark).generate(input, 24_000, SITES, OCTOBER, 3);

        RunRecord run = commands().reprocess(OCTOBER, Optional.of(AS_OF), "--month 2026-10");

        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertBilledAsCounted();
    }

    @Test
    @Order(2)
    void aNightlyDayThatTouches1100SitesReRatesThemAll() {
        // One new end user on 20 October (local date 20 or 21 October in every generated zone) at each of 1,100 sites.
        List<Row> late = new ArrayList<>();
        for (int i = 0; i < LATE_SITES; i++) {
            late.add(Fixtures.consumer("late-" + i, "site-" + i, "late-consumer", "2026-10-20T12:00:00Z"));
        }
        Map<String, Long> before = darsPerSite();
        InputRoots.appendMessages(input, late);

        RunRecord run = commands().nightly(Optional.of(LocalDate.of(2026, 10, 20)), Optional.of(AS_OF), "2026-10-20");

        assertEquals(RunStatus.SUCCEEDED, run.status());
        Map<String, Long> after = darsPerSite();
        for (int i = 0; i < SITES; i++) {
            String site = "site-" + i;
            assertEquals(before.getOrDefault(site, 0L) + (i < LATE_SITES ? 1 : 0), after.getOrDefault(site, 0L), site);
        }
        assertBilledAsCounted();
    }

    /** The warehouse against the plain-Java count of the input root as it is now. */
    private static void assertBilledAsCounted() {
        Map<String, Set<String>> dars = expectedDars();
        Map<String, Long> expected = new TreeMap<>();
        dars.forEach((site, keys) -> expected.put(site, (long) keys.size()));
        assertTrue(expected.size() > 1_100, "the generator spreads the month over most of the 1,200 sites: " + expected.size());
        assertEquals(expected, darsPerSite());

        Set<String> usage = new TreeSet<>(expected.keySet());
        usage.addAll(sitesWithEvents(Inputs.COBROWSE_SESSIONS, Inputs.STARTED_AT));
        usage.addAll(sitesWithEvents(Inputs.FUNCTION_INVOCATIONS, Inputs.INVOKED_AT));

        DeltaWriter tables = new DeltaWriter(spark, Location.of(warehouse));
        Map<String, List<String>> lineTypes = new TreeMap<>();
        Map<String, BigDecimal> messagingCredits = new HashMap<>();
        for (Row r : tables.read(OutputTables.INVOICE_LINES).where(col(Columns.BILLING_MONTH).equalTo(OCTOBER.toString())).collectAsList()) {
            String site = r.getAs(Columns.SITE_ID);
            assertEquals(1, r.<Integer>getAs("invoice_version"), site);
            assertEquals("DRAFT", r.getAs(Columns.STATUS), site);
            if (!"PLATFORM_USERS_OVER_LIMIT".equals(r.getAs("line_type"))) {
                lineTypes.computeIfAbsent(site, s -> new ArrayList<>()).add(r.getAs("line_type"));
            }
            if ("CREDITS_MESSAGING".equals(r.getAs("line_type"))) {
                messagingCredits.put(site, r.getAs("quantity"));
            }
        }
        assertEquals(usage, lineTypes.keySet(), "an invoice for every site with usage, and for no other");
        lineTypes.forEach((site, types) -> assertEquals(REGULAR_LINES, types.stream().sorted().toList(), site));
        expected.forEach((site, count) -> assertEquals(0, BigDecimal.valueOf(count).compareTo(messagingCredits.get(site)), site));

        List<Row> segments = tables.read(OutputTables.PLAN_SEGMENTS).where(col(Columns.BILLING_MONTH).equalTo(OCTOBER.toString()))
                .select(Columns.SITE_ID).collectAsList();
        assertEquals(usage.size(), segments.size(), "one segment per billed site (one plan all month)");
        assertEquals(usage, new TreeSet<>(segments.stream().map(r -> r.getString(0)).toList()));
        assertEquals(expected.size(), tables.read(OutputTables.CREDIT_USAGE)
                .where(col(Columns.CATEGORY).equalTo("MESSAGING").and(col("usage_quantity").gt(0))).count());
    }

    private static Map<String, Long> darsPerSite() {
        Map<String, Long> counts = new TreeMap<>();
        new DeltaWriter(spark, Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS)
                .where(col(Columns.BILLING_MONTH).equalTo(OCTOBER.toString())).groupBy(Columns.SITE_ID).count().collectAsList()
                .forEach(r -> counts.put(r.getString(0), r.getLong(1)));
        return counts;
    }

    /** R1 in plain Java: distinct (consumer, local date in the site's zone) per site, countable roles and known channels only. */
    private static Map<String, Set<String>> expectedDars() {
        Map<String, ZoneId> zones = zones();
        Map<String, Set<String>> dars = new TreeMap<>();
        for (Row m : spark.read().parquet(input.resolve(Inputs.MESSAGES).toString()).collectAsList()) {
            ZoneId zone = zones.get(m.<String>getAs(Inputs.SITE_ID));
            if (zone == null || !COUNTABLE.contains(m.<String>getAs(Inputs.SENDER_ROLE)) || !CHANNELS.contains(m.<String>getAs(Inputs.CHANNEL))) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(m.getAs(Inputs.SENT_AT), zone);
            if (YearMonth.from(day).equals(OCTOBER)) {
                dars.computeIfAbsent(m.getAs(Inputs.SITE_ID), s -> new HashSet<>()).add(m.getAs(Inputs.CONSUMER_ID) + "|" + day);
            }
        }
        return dars;
    }

    private static Set<String> sitesWithEvents(String source, String instantColumn) {
        Map<String, ZoneId> zones = zones();
        Set<String> sites = new TreeSet<>();
        for (Row e : spark.read().parquet(input.resolve(source).toString()).collectAsList()) {
            ZoneId zone = zones.get(e.<String>getAs(Inputs.SITE_ID));
            if (zone != null && YearMonth.from(LocalDate.ofInstant(e.getAs(instantColumn), zone)).equals(OCTOBER)) {
                sites.add(e.getAs(Inputs.SITE_ID));
            }
        }
        return sites;
    }

    private static Map<String, ZoneId> zones() {
        Map<String, ZoneId> zones = new HashMap<>();
        spark.read().parquet(input.resolve(Inputs.SITES).toString()).collectAsList()
                .forEach(r -> zones.put(r.getAs(Inputs.SITE_ID), ZoneId.of(r.getAs(Inputs.TIME_ZONE))));
        assertEquals(SITES, zones.size());
        return zones;
    }
}
