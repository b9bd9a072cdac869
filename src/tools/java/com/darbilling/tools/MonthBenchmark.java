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
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * One generated month, three ways of counting its DARs per site: our {@code reprocess} end to end
 * (a separate launcher process, so JVM start and Delta commits count), DuckDB straight from the
 * Parquet, and a naive Spark formulation (a Java UDF for the local date, then countDistinct). It
 * checks the three agree, and prints the times as a table and a CSV. DuckDB's JDBC driver is on the
 * class path only in the Maven profile {@code benchmark}.
 */
public final class MonthBenchmark {
    private record Measure(String name, long rows, double seconds, String note) {
    }

    private MonthBenchmark() {
    }

    public static void run(SparkSession spark, Path work, long messages, int sites, long seed, YearMonth month, Path home, Path csv,
                           PrintStream out) throws Exception {
        Path input = work.resolve("input");
        Path warehouse = work.resolve("warehouse");
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
        Map<String, Long> duck = duckDb(input, month);
        Measure duckMeasure = new Measure("DuckDB DAR query", rows, seconds(t0), "read_parquet; timezone(); count(DISTINCT)");

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
        measures.add(duckMeasure);
        measures.add(naiveMeasure);
        boolean agree = ourCounts.equals(duck) && ourCounts.equals(naive);
        StringBuilder table = new StringBuilder("system,rows,seconds,rows_per_second,vs_duckdb,vs_naive_spark,note\n");
        out.printf(Locale.ROOT, "%-48s %12s %9s %12s %9s %9s%n", "", "rows", "seconds", "rows/s", "/DuckDB", "/naive");
        for (Measure m : measures) {
            double rate = m.seconds() == 0 ? 0 : m.rows() / m.seconds();
            out.printf(Locale.ROOT, "%-48s %,12d %9.1f %,12.0f %9.2f %9.2f  %s%n", m.name(), m.rows(), m.seconds(), rate,
                    m.seconds() / duckMeasure.seconds(), m.seconds() / naiveMeasure.seconds(), m.note());
            table.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.0f,%.3f,%.3f,\"%s\"%n", m.name(), m.rows(), m.seconds(), rate,
                    m.seconds() / duckMeasure.seconds(), m.seconds() / naiveMeasure.seconds(), m.note()));
        }
        double day28OverDay2 = nightly.get(3).seconds() / nightly.get(1).seconds();
        out.printf(Locale.ROOT, "reprocess / DuckDB = %.2f (target <= 3); naive Spark / reprocess = %.2f (target >= 2); "
                + "nightly day 28 / day 2 = %.2f (target <= 1.2)%n", ours.seconds() / duckMeasure.seconds(),
                naiveMeasure.seconds() / ours.seconds(), day28OverDay2);
        out.printf(Locale.ROOT, "DAR counts per site: %s (%d sites, %,d DARs)%n", agree ? "all three agree" : "DIFFER",
                ourCounts.size(), ourCounts.values().stream().mapToLong(Long::longValue).sum());
        out.printf(Locale.ROOT, "peak heap in use (heap pools' peaks): reprocess process %s MB; this JVM (nightly runs, naive Spark, generator) %,d of %,d MB%n",
                peakHeap(report), JvmMemory.peakHeapMb(), JvmMemory.maxHeapMb());
        table.append(String.format(Locale.ROOT, "reprocess_over_duckdb,,%.3f,,,,%n", ours.seconds() / duckMeasure.seconds()));
        table.append(String.format(Locale.ROOT, "naive_over_reprocess,,%.3f,,,,%n", naiveMeasure.seconds() / ours.seconds()));
        table.append(String.format(Locale.ROOT, "nightly_day28_over_day2,,%.3f,,,,%n", day28OverDay2));
        table.append(String.format(Locale.ROOT, "reprocess_peak_heap_mb,,%s,,,,%n", peakHeap(report)));
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, table);
        out.println("wrote " + csv);
        if (!agree) {
            throw new IllegalStateException("DAR counts differ: ours " + ourCounts + " duckdb " + duck + " naive " + naive);
        }
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

    /** DuckDB's fastest honest formulation: the same validity rules, local date per site zone, distinct pairs. */
    static Map<String, Long> duckDb(Path input, YearMonth month) throws SQLException {
        LocalDate first = month.atDay(1).minusDays(1);
        LocalDate last = month.atEndOfMonth().plusDays(1);
        String sql = """
                SELECT m.site_id, count(DISTINCT (m.consumer_id, CAST(timezone(s.time_zone, m.sent_at) AS DATE))) AS dars
                FROM read_parquet('%s/messages/*/*.parquet', hive_partitioning = true) m
                JOIN read_parquet('%s/sites/*.parquet') s ON s.site_id = m.site_id
                WHERE m.event_date BETWEEN DATE '%s' AND DATE '%s'
                  AND m.sender_role IN ('CONSUMER', 'AGENT', 'BOT') AND m.channel IN ('WEB', 'SMS', 'EMAIL', 'FACEBOOK')
                  AND m.consumer_id IS NOT NULL AND trim(m.consumer_id) <> '' AND m.message_id IS NOT NULL
                  AND NOT (m.sender_role IN ('AGENT', 'BOT') AND (m.sender_id IS NULL OR trim(m.sender_id) = ''))
                  AND strftime(timezone(s.time_zone, m.sent_at), '%%Y-%%m') = '%s'
                GROUP BY m.site_id
                """.formatted(input, input, first, last, month);
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getLong(2));
                }
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
