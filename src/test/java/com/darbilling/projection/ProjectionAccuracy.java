package com.darbilling.projection;

import static org.apache.spark.sql.functions.col;

import com.darbilling.contract.Columns;
import com.darbilling.input.InputReader;
import com.darbilling.job.Commands;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.session.SparkSessions;
import com.darbilling.storage.Location;
import com.darbilling.tools.InputGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Measures the projection method (a tool, not a test; it never ships in the application jar): bills a
 * generated month, then projects each site as the nightly job would have on the evening of day 7, 14
 * and 21 (the DARs of the days so far, those days complete) and compares with the month's final
 * DARs, overage and level. Prints a Markdown table and writes target/projection-accuracy.csv.
 *
 * <pre>jobs/projection-accuracy --work /tmp/pa --messages 2000000 --sites 200 [--month 2026-10] [--seed 42]</pre>
 */
public final class ProjectionAccuracy {
    private static final int[] DAYS = {7, 14, 21};

    private ProjectionAccuracy() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>(Map.of("--messages", "2000000", "--sites", "200", "--month", "2026-10", "--seed", "42"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--work")) {
            System.err.println("usage: jobs/projection-accuracy --work DIR [--messages N] [--sites S] [--month YYYY-MM] [--seed K]");
            System.exit(2);
        }
        Path work = Path.of(options.get("--work")).toAbsolutePath();
        YearMonth month = YearMonth.parse(options.get("--month"));
        long messages = Long.parseLong(options.get("--messages"));
        int sites = Integer.parseInt(options.get("--sites"));
        long seed = Long.parseLong(options.get("--seed"));
        SparkSession spark = SparkSessions.create("dar-billing projection accuracy", Map.of("spark.master", "local[*]"));
        try {
            run(spark, work, messages, sites, month, seed, System.out);
        } finally {
            spark.stop();
        }
    }

    /** One site's figures at one cut: projected and final. */
    record Cut(String site, int day, long projected, long actual, Level projectedLevel, Level actualLevel, long projectedBlocks,
               long actualBlocks) {
        double error() {
            return actual == 0 ? 0 : (projected - actual) / (double) actual;
        }
    }

    static void run(SparkSession spark, Path work, long messages, int sites, YearMonth month, long seed, PrintStream out) throws IOException {
        FileUtils.deleteDirectory(work.toFile());
        Path input = work.resolve("input");
        Path warehouse = work.resolve("warehouse");
        new InputGenerator(spark).generate(input, messages, sites, month, seed);
        PlanCatalog catalog = PlanCatalog.bundled();
        new Commands(spark, Location.of(input), Location.of(warehouse), catalog, PseudonymKey.of("projection-accuracy-key"), new PrintStream(PrintStream.nullOutputStream()))
                .reprocess(month, Optional.of(InputGenerator.completeAsOf(month)), "projection accuracy");
        Map<String, TreeMap<LocalDate, Long>> darsPerDay = new TreeMap<>();
        for (Row r : new DeltaWriter(spark, Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS)
                .where(col(Columns.BILLING_MONTH).equalTo(month.toString())).groupBy("site_id", "local_date").count().collectAsList()) {
            darsPerDay.computeIfAbsent(r.getString(0), s -> new TreeMap<>()).put((LocalDate) r.get(1), r.getLong(2));
        }
        Map<String, List<PlanAssignment>> assignments = new InputReader(spark, Location.of(input)).planAssignments();
        Instant asOf = InputGenerator.completeAsOf(month);
        List<Cut> cuts = new ArrayList<>();
        for (var site : darsPerDay.entrySet()) {
            List<Segment> segments = Segment.of(PlanCalendar.of(site.getKey(), assignments.getOrDefault(site.getKey(), List.of()), month, catalog));
            SiteProjection end = Projections.project(site.getKey(), month, asOf, "UTC", month.atEndOfMonth().plusDays(1), segments, site.getValue());
            for (int day : DAYS) {
                LocalDate today = month.atDay(day + 1);
                SiteProjection p = Projections.project(site.getKey(), month, asOf, "UTC", today, segments, site.getValue().headMap(today));
                cuts.add(new Cut(site.getKey(), day, p.projectedDars(), end.projectedDars(), p.level(), end.level(), p.projectedOverageBlocks(),
                        end.projectedOverageBlocks()));
            }
        }
        long total = darsPerDay.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "generated month %s: %,d messages, %d sites with DARs, %,d DARs (seed %d)%n%n", month, messages,
                darsPerDay.size(), total, seed);
        StringBuilder csv = new StringBuilder("day,site,projected_dars,final_dars,error,projected_level,final_level,projected_blocks,final_blocks\n");
        cuts.forEach(c -> csv.append(String.format(Locale.ROOT, "%d,%s,%d,%d,%.5f,%s,%s,%d,%d%n", c.day(), c.site(), c.projected(), c.actual(),
                c.error(), c.projectedLevel(), c.actualLevel(), c.projectedBlocks(), c.actualBlocks())));
        out.println("| projected from | sites | median abs. error | 90th pct abs. error | worst | mean error (bias) | all sites' DARs | "
                + "level right | OVER missed | OVER false | overage blocks within 1 |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int day : DAYS) {
            List<Cut> at = cuts.stream().filter(c -> c.day() == day).toList();
            List<Double> abs = at.stream().map(c -> Math.abs(c.error())).sorted().toList();
            long projected = at.stream().mapToLong(Cut::projected).sum();
            out.printf(Locale.ROOT, "| day %d | %d | %.1f%% | %.1f%% | %.1f%% | %+.1f%% | %+.2f%% | %d of %d | %d | %d | %d of %d |%n", day, at.size(),
                    100 * percentile(abs, 0.5), 100 * percentile(abs, 0.9), 100 * abs.get(abs.size() - 1),
                    100 * at.stream().mapToDouble(Cut::error).average().orElse(0), 100.0 * (projected - total) / total,
                    at.stream().filter(c -> c.projectedLevel() == c.actualLevel()).count(), at.size(),
                    at.stream().filter(c -> c.actualLevel() == Level.OVER && c.projectedLevel() != Level.OVER).count(),
                    at.stream().filter(c -> c.actualLevel() != Level.OVER && c.projectedLevel() == Level.OVER).count(),
                    at.stream().filter(c -> Math.abs(c.projectedBlocks() - c.actualBlocks()) <= 1).count(), at.size());
        }
        Path file = Path.of("target", "projection-accuracy.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        out.println();
        out.println("per site and cut: " + file.toAbsolutePath());
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
    }
}
