package com.darbilling.tools;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Channel;
import com.darbilling.contract.Inputs;
import com.darbilling.contract.SenderRole;
import com.darbilling.run.JvmMemory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * One generated month, four ways of counting its DARs per site: our {@code reprocess} end to end
 * (a separate launcher process, so JVM start and Delta commits count), two DuckDB queries straight
 * from the Parquet (the per-row {@code timezone()} most people write, and the fastest honest one:
 * each zone's UTC offset looked up once per 15-minute bucket), and a naive Spark formulation (a Java
 * UDF for the local date, then countDistinct). It checks the four agree per site, and prints the
 * times as a table and a CSV, with ratios to the fast DuckDB query and to naive Spark. DuckDB's JDBC
 * driver is on the class path only in the Maven profile {@code benchmark}.
 */
public final class MonthBenchmark {
    /** The width of the fast DuckDB query's buckets: every zone transition billed falls on a multiple of it. */
    static final long BUCKET_SECONDS = 900;

    private record Measure(String name, long rows, double seconds, String note) {
    }

    private MonthBenchmark() {
    }

    public static void run(SparkSession spark, Path work, long messages, int sites, long seed, YearMonth month, Path home, Path csv,
                           PrintStream out) throws Exception {
        Path input = work.resolve("input");
        Path warehouse = work.resolve("warehouse");
        out.println(Tools.zones());
        long t0 = System.nanoTime();
        new InputGenerator(spark).generate(input, messages, sites, month, seed);
        out.printf(Locale.ROOT, "generated %,d messages, %d sites, %s, seed %d in %.1f s%n", messages, sites, month, seed, seconds(t0));
        long rows = spark.read().parquet(input.resolve(Inputs.MESSAGES).toString()).count();

        t0 = System.nanoTime();
        String report = reprocessProcess(home, input, warehouse, month);
        Measure ours = new Measure("dar-billing reprocess (new process, end to end)", rows, seconds(t0), stages(report));
        Map<String, Long> ourCounts = new TreeMap<>();
        spark.read().format("delta").load(warehouse.resolve("daily_active_relationships").toString())
                .where(col("billing_month").equalTo(month.toString())).groupBy("site_id").count().collectAsList()
                .forEach(r -> ourCounts.put(r.getString(0), r.getLong(1)));

        t0 = System.nanoTime();
        Map<String, Long> duckPerRow = duckDb(input, month);
        Measure duckPerRowMeasure = new Measure("DuckDB DAR query, timezone() per row", rows, seconds(t0),
                "read_parquet; timezone() twice per row; count(DISTINCT)");

        t0 = System.nanoTime();
        Map<String, Long> duckFast = duckDbFast(input, month);
        Measure duckFastMeasure = new Measure("DuckDB DAR query, offset per zone and 15 min", rows, seconds(t0),
                "read_parquet; timezone() per (zone; 15-min bucket); join; count(DISTINCT)");

        t0 = System.nanoTime();
        Map<String, Long> naive = naiveSpark(spark, input, month);
        Measure naiveMeasure = new Measure("naive Spark (UDF + countDistinct)", rows, seconds(t0), "same JVM; warm");

        List<Measure> nightly = new ArrayList<>();
        for (NightlyBenchmark.Step step : NightlyBenchmark.steps(spark, input, work.resolve("nightly/input"), work.resolve("nightly/warehouse"), month)) {
            nightly.add(new Measure("dar-billing nightly: " + step.name(), step.rows(), step.millis() / 1000.0, "same JVM; messages + invocations arrived"));
        }

        List<Measure> measures = new ArrayList<>();
        measures.add(ours);
        measures.addAll(nightly);
        measures.add(duckFastMeasure);
        measures.add(duckPerRowMeasure);
        measures.add(naiveMeasure);
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("ours", ourCounts);
        counts.put("duckdb-per-row", duckPerRow);
        counts.put("duckdb-fast", duckFast);
        counts.put("naive-spark", naive);
        List<String> differences = differences(counts);
        StringBuilder table = new StringBuilder("system,rows,seconds,rows_per_second,vs_fast_duckdb,vs_naive_spark,note\n");
        out.printf(Locale.ROOT, "%-48s %12s %9s %12s %12s %9s%n", "", "rows", "seconds", "rows/s", "/fast DuckDB", "/naive");
        for (Measure m : measures) {
            double rate = m.seconds() == 0 ? 0 : m.rows() / m.seconds();
            out.printf(Locale.ROOT, "%-48s %,12d %9.1f %,12.0f %12.2f %9.2f  %s%n", m.name(), m.rows(), m.seconds(), rate,
                    m.seconds() / duckFastMeasure.seconds(), m.seconds() / naiveMeasure.seconds(), m.note());
            table.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.0f,%.3f,%.3f,\"%s\"%n", m.name(), m.rows(), m.seconds(), rate,
                    m.seconds() / duckFastMeasure.seconds(), m.seconds() / naiveMeasure.seconds(), m.note()));
        }
        double overFastDuck = ours.seconds() / duckFastMeasure.seconds();
        double overNaive = ours.seconds() / naiveMeasure.seconds();
        double day28OverDay2 = nightly.get(3).seconds() / nightly.get(1).seconds();
        out.printf(Locale.ROOT, "reprocess / fast DuckDB = %.2f (target <= 5); reprocess / naive Spark = %.2f (target <= 2); "
                + "nightly day 28 / day 2 = %.2f (target <= 1.2)%n", overFastDuck, overNaive, day28OverDay2);
        out.printf(Locale.ROOT, "DAR counts per site: %s (%d sites, %,d DARs)%n",
                differences.isEmpty() ? "all four agree (ours, DuckDB per row, fast DuckDB, naive Spark)" : "DIFFER in " + differences.size() + " sites",
                ourCounts.size(), ourCounts.values().stream().mapToLong(Long::longValue).sum());
        out.printf(Locale.ROOT, "peak heap in use (heap pools' peaks): reprocess process %s MB; this JVM (nightly runs, naive Spark, generator) %,d of %,d MB%n",
                peakHeap(report), JvmMemory.peakHeapMb(), JvmMemory.maxHeapMb());
        table.append(String.format(Locale.ROOT, "reprocess_over_fast_duckdb,,%.3f,,,,%n", overFastDuck));
        table.append(String.format(Locale.ROOT, "reprocess_over_naive_spark,,%.3f,,,,%n", overNaive));
        table.append(String.format(Locale.ROOT, "per_row_duckdb_over_fast_duckdb,,%.3f,,,,%n", duckPerRowMeasure.seconds() / duckFastMeasure.seconds()));
        table.append(String.format(Locale.ROOT, "nightly_day28_over_day2,,%.3f,,,,%n", day28OverDay2));
        table.append(String.format(Locale.ROOT, "reprocess_peak_heap_mb,,%s,,,,%n", peakHeap(report)));
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, table);
        out.println("wrote " + csv);
        if (!differences.isEmpty()) {
            throw new IllegalStateException("DAR counts differ per site (" + String.join("; ", counts.keySet()) + "): "
                    + String.join(", ", differences.subList(0, Math.min(20, differences.size()))));
        }
    }

    /**
     * The sites whose DAR count is not the same in every system (a site missing from one counts as
     * 0 DARs there), each as {@code site=[count per system]}, in site order.
     */
    static List<String> differences(Map<String, Map<String, Long>> countsBySystem) {
        Set<String> sites = new TreeSet<>();
        countsBySystem.values().forEach(c -> sites.addAll(c.keySet()));
        List<String> differences = new ArrayList<>();
        for (String site : sites) {
            List<Long> perSystem = countsBySystem.values().stream().map(c -> c.getOrDefault(site, 0L)).toList();
            if (perSystem.stream().distinct().count() > 1) {
                differences.add(site + "=" + perSystem);
            }
        }
        return differences;
    }

    private static String peakHeap(String report) {
        Matcher m = Pattern.compile("peak heap \\(MB\\): (\\d+ of \\d+)").matcher(report);
        return m.find() ? m.group(1) : "?";
    }

    /** Runs `jobs/billing reprocess` as a new process and returns its stdout. */
    private static String reprocessProcess(Path home, Path input, Path warehouse, YearMonth month) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("jobs/billing").toString(), "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", month.toString(),
                "--as-of", InputGenerator.completeAsOf(month).toString()).redirectErrorStream(false);
        builder.environment().put("BILLING_PSEUDONYM_KEY", "benchmark-key-not-secret-0123456789");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("reprocess failed:\n" + stdout);
        }
        return stdout;
    }

    private static String stages(String report) {
        Matcher m = Pattern.compile("stages \\(ms\\): (\\{.*})").matcher(report);
        return m.find() ? "stages ms " + m.group(1).replace(",", ";") : "";
    }

    /**
     * The validity rules both DuckDB queries apply to the messages {@code m} (joined to the sites
     * {@code s}): the event_date partitions of the month and a day either side, the countable
     * sender roles and channels, a consumer and a message id, a sender for agents and bots.
     */
    private static String validityRules(YearMonth month) {
        return """
                m.event_date BETWEEN DATE '%s' AND DATE '%s'
                  AND m.sender_role IN ('CONSUMER', 'AGENT', 'BOT') AND m.channel IN ('WEB', 'SMS', 'EMAIL', 'FACEBOOK')
                  AND m.consumer_id IS NOT NULL AND trim(m.consumer_id) <> '' AND m.message_id IS NOT NULL
                  AND NOT (m.sender_role IN ('AGENT', 'BOT') AND (m.sender_id IS NULL OR trim(m.sender_id) = ''))
                """.formatted(month.atDay(1).minusDays(1), month.atEndOfMonth().plusDays(1));
    }

    /**
     * What most people write in DuckDB: the same validity rules, the local date per row with
     * {@code timezone()} (an ICU conversion per row, twice: for the date and for the month), distinct pairs.
     */
    static Map<String, Long> duckDb(Path input, YearMonth month) throws SQLException {
        String sql = """
                SELECT m.site_id, count(DISTINCT (m.consumer_id, CAST(timezone(s.time_zone, m.sent_at) AS DATE))) AS dars
                FROM read_parquet('%s/messages/*/*.parquet', hive_partitioning = true) m
                JOIN read_parquet('%s/sites/*.parquet') s ON s.site_id = m.site_id
                WHERE %s
                  AND strftime(timezone(s.time_zone, m.sent_at), '%%Y-%%m') = '%s'
                GROUP BY m.site_id
                """.formatted(input, input, validityRules(month), month);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            return counts(s, sql);
        }
    }

    /**
     * DuckDB's fastest honest formulation: the same validity rules and results as {@link #duckDb},
     * but each zone's UTC offset is looked up once per (zone, 15-minute bucket of UTC) of the
     * window instead of once per row. Every zone transition of the window falls on a quarter hour of
     * UTC (checked first, see {@link #requireQuarterHourTransitions}), so a bucket's offset at its
     * start holds for all of it. Per row there is only integer arithmetic: the bucket of sent_at
     * (epoch microseconds over 15 minutes, the join key) and the local day (epoch microseconds plus
     * the offset, over a day). Messages outside the window's buckets drop out of the join, which
     * changes nothing: no offset reaches a day, so their local date is never in the month.
     */
    static Map<String, Long> duckDbFast(Path input, YearMonth month) throws SQLException {
        long fromBucket = windowStart(month).getEpochSecond() / BUCKET_SECONDS;
        long toBucket = windowEnd(month).getEpochSecond() / BUCKET_SECONDS;
        String sql = """
                WITH sites AS (SELECT site_id, time_zone FROM read_parquet('%1$s/sites/*.parquet')),
                offsets AS (
                    SELECT z.time_zone, b.bucket,
                           epoch_us(timezone(z.time_zone, to_timestamp(b.bucket * %2$d))) - b.bucket * %3$d AS offset_us
                    FROM (SELECT DISTINCT time_zone FROM sites) z, range(%4$d, %5$d) b(bucket)
                ),
                valid AS (
                    SELECT m.site_id, m.consumer_id, s.time_zone, epoch_us(m.sent_at) AS at_us
                    FROM read_parquet('%1$s/messages/*/*.parquet', hive_partitioning = true) m
                    JOIN sites s ON s.site_id = m.site_id
                    WHERE %6$s
                ),
                localized AS (
                    SELECT v.site_id, v.consumer_id, (v.at_us + o.offset_us) // 86400000000 AS local_day
                    FROM valid v JOIN offsets o ON o.time_zone = v.time_zone AND o.bucket = v.at_us // %3$d
                )
                SELECT site_id, count(DISTINCT (consumer_id, local_day)) AS dars
                FROM localized
                WHERE local_day BETWEEN %7$d AND %8$d
                GROUP BY site_id
                """.formatted(input, BUCKET_SECONDS, BUCKET_SECONDS * 1_000_000L, fromBucket, toBucket, validityRules(month),
                month.atDay(1).toEpochDay(), month.atEndOfMonth().toEpochDay());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            List<String> zones = siteZones(s, input);
            requireDuckDbZones(s, zones);
            requireQuarterHourTransitions(zones, month);
            return counts(s, sql);
        }
    }

    /** The first instant of the window the fast query covers: the day before the month, in UTC. */
    static Instant windowStart(YearMonth month) {
        return month.atDay(1).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The end (excluded) of that window: after the day that follows the month, in UTC. */
    static Instant windowEnd(YearMonth month) {
        return month.atEndOfMonth().plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The distinct zones of the input's sites table. */
    private static List<String> siteZones(Statement s, Path input) throws SQLException {
        List<String> zones = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT DISTINCT time_zone FROM read_parquet('%s/sites/*.parquet') ORDER BY 1".formatted(input))) {
            while (r.next()) {
                zones.add(r.getString(1));
            }
        }
        return zones;
    }

    /** Fails unless DuckDB (ICU) knows every zone: an unknown one would not be converted at all. */
    private static void requireDuckDbZones(Statement s, List<String> zones) throws SQLException {
        Set<String> known = new HashSet<>();
        try (ResultSet r = s.executeQuery("SELECT name FROM pg_timezone_names()")) {
            while (r.next()) {
                known.add(r.getString(1));
            }
        }
        for (String zone : zones) {
            if (!known.contains(zone)) {
                throw new IllegalStateException("DuckDB does not know the time zone '" + zone + "' of the sites table");
            }
        }
    }

    /**
     * The fast query's premise, checked with java.time: every transition of every zone in the window
     * (the month, a day before and two after, UTC) falls on a multiple of 15 minutes of UTC. Fails
     * naming the zone and the instant where it does not, and on a zone java.time cannot resolve.
     */
    static void requireQuarterHourTransitions(List<String> zones, YearMonth month) {
        Instant from = windowStart(month);
        Instant to = windowEnd(month);
        for (String zone : zones) {
            ZoneRules rules = rules(zone);
            for (ZoneOffsetTransition t = rules.nextTransition(from.minusSeconds(1)); t != null && !t.getInstant().isAfter(to);
                 t = rules.nextTransition(t.getInstant())) {
                if (t.getInstant().getEpochSecond() % BUCKET_SECONDS != 0) {
                    throw new IllegalStateException("time zone '" + zone + "' changes offset at " + t.getInstant() + " (" + t
                            + "), not on a quarter hour of UTC: the fast DuckDB query's 15-minute buckets would give some rows the wrong offset");
                }
            }
        }
    }

    private static ZoneRules rules(String zone) {
        if (zone == null) {
            throw new IllegalStateException("a site of the sites table has no time zone");
        }
        try {
            return ZoneId.of(zone).getRules();
        } catch (DateTimeException e) {
            throw new IllegalStateException("java.time cannot resolve the time zone '" + zone + "' of the sites table: " + e.getMessage(), e);
        }
    }

    /** Runs a query of (site_id, dars) rows. */
    private static Map<String, Long> counts(Statement s, String sql) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    /** What a first attempt looks like: a Java UDF per row for the local date, then countDistinct. */
    static Map<String, Long> naiveSpark(SparkSession spark, Path input, YearMonth month) {
        UDF2<java.time.Instant, String, LocalDate> localDate = (at, zone) -> LocalDate.ofInstant(at, ZoneId.of(zone));
        var toLocalDate = udf(localDate, DataTypes.DateType);
        Dataset<Row> messages = spark.read().parquet(input.resolve(Inputs.MESSAGES).toString())
                .where(col(Inputs.EVENT_DATE).between(lit(month.atDay(1).minusDays(1).toString()), lit(month.atEndOfMonth().plusDays(1).toString())));
        Dataset<Row> sites = spark.read().parquet(input.resolve(Inputs.SITES).toString());
        Map<String, Long> counts = new TreeMap<>();
        messages.join(sites, Inputs.SITE_ID)
                .where(col(Inputs.SENDER_ROLE).isin(SenderRole.COUNTABLE.toArray()).and(col(Inputs.CHANNEL).isin(Channel.names().toArray())))
                .withColumn("local_date", toLocalDate.apply(col(Inputs.SENT_AT), col(Inputs.TIME_ZONE)))
                .where(date_format(col("local_date"), "yyyy-MM").equalTo(month.toString()))
                .groupBy(Inputs.SITE_ID).agg(countDistinct(col(Inputs.CONSUMER_ID), col("local_date")))
                .collectAsList().forEach(r -> counts.put(r.getString(0), r.getLong(1)));
        return counts;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public static void requireDuckDb() {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB's JDBC driver is not on the class path: build with "
                    + "`./mvnw -Pbenchmark -DskipTests package` (see README, Benchmarks)");
        }
    }
}
