package com.darbilling.tools;

import com.darbilling.contract.Inputs;
import com.darbilling.job.Commands;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.storage.Location;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;

/**
 * Shows that a nightly run costs what arrived, not what the month already holds: on a generated
 * month, days arrive one by one; it times the nightly run of day 2, of day 28 (after days 3-27
 * were merged) and a run with nothing new, and prints a table and a CSV.
 */
public final class NightlyBenchmark {
    /** One timed nightly run: the rows that arrived for it and its wall time. */
    public record Step(String name, long rows, long millis) {
    }

    private NightlyBenchmark() {
    }

    public static void run(SparkSession spark, Path work, long messages, int sites, long seed, YearMonth month, Path csv, PrintStream out)
            throws IOException {
        Path generated = work.resolve("generated");
        FileUtils.deleteDirectory(work.toFile());
        out.println(Tools.zones());
        long t0 = System.nanoTime();
        new InputGenerator(spark).generate(generated, messages, sites, month, seed);
        out.printf(Locale.ROOT, "generated %,d messages for %d sites in %.1f s%n", messages, sites, (System.nanoTime() - t0) / 1e9);
        List<Step> steps = steps(spark, generated, work.resolve("input"), work.resolve("warehouse"), month);
        StringBuilder table = new StringBuilder("step,new_rows,seconds,rows_per_second\n");
        out.printf(Locale.ROOT, "%-20s %12s %9s %12s%n", "nightly run", "new rows", "seconds", "rows/s");
        for (Step s : steps) {
            double seconds = s.millis() / 1000.0;
            double rate = seconds == 0 ? 0 : s.rows() / seconds;
            out.printf(Locale.ROOT, "%-20s %,12d %9.1f %,12.0f%n", s.name(), s.rows(), seconds, rate);
            table.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.0f%n", s.name(), s.rows(), seconds, rate));
        }
        double ratio = (double) steps.get(3).millis() / steps.get(1).millis();
        out.printf(Locale.ROOT, "day 28 / day 2 = %.2f (target <= 1.2)%n", ratio);
        table.append(String.format(Locale.ROOT, "day28_over_day2,,%.3f,%n", ratio));
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, table);
        out.println("wrote " + csv);
    }

    /**
     * Lets the days of {@code generated} arrive in a new input root, one nightly run per step: day 1,
     * day 2, days 3-27 at once, day 28, and a run with nothing new.
     */
    public static List<Step> steps(SparkSession spark, Path generated, Path input, Path warehouse, YearMonth month) throws IOException {
        FileUtils.deleteDirectory(input.toFile());
        FileUtils.deleteDirectory(warehouse.toFile());
        for (String table : List.of(Inputs.SITES, Inputs.SITE_PLANS, Inputs.COBROWSE_SESSIONS)) {
            FileUtils.copyDirectory(generated.resolve(table).toFile(), input.resolve(table).toFile());
        }
        Files.createDirectories(input.resolve(Inputs.MESSAGES));
        Files.createDirectories(input.resolve(Inputs.FUNCTION_INVOCATIONS));
        PseudonymKey key = PseudonymKey.of("benchmark-key-not-secret-0123456789");
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        Commands commands = new Commands(spark, Location.of(input), Location.of(warehouse), PlanCatalog.bundled(), key, quiet);
        List<Step> steps = new ArrayList<>();
        steps.add(arrive(commands, spark, generated, input, month, 1, 1, "day 1 (first run)"));
        steps.add(arrive(commands, spark, generated, input, month, 2, 2, "day 2"));
        steps.add(arrive(commands, spark, generated, input, month, 3, 27, "days 3-27 at once"));
        steps.add(arrive(commands, spark, generated, input, month, 28, 28, "day 28"));
        steps.add(arrive(commands, spark, generated, input, month, 0, -1, "no new data"));
        return steps;
    }

    /** Copies the partitions of days [first, last] into the input root and times one nightly run. */
    private static Step arrive(Commands commands, SparkSession spark, Path generated, Path input, YearMonth month, int first, int last,
                               String name) throws IOException {
        long rows = 0;
        for (int day = first; day >= 1 && day <= last; day++) {
            for (String table : List.of(Inputs.MESSAGES, Inputs.FUNCTION_INVOCATIONS)) {
                String partition = Inputs.EVENT_DATE + "=" + LocalDate.of(month.getYear(), month.getMonth(), day);
                Path from = generated.resolve(table).resolve(partition);
                if (Files.isDirectory(from)) {
                    rows += spark.read().parquet(from.toString()).count();
                    FileUtils.copyDirectory(from.toFile(), input.resolve(table).resolve(partition).toFile());
                }
            }
        }
        long t0 = System.nanoTime();
        commands.nightly(java.util.Optional.empty(), java.util.Optional.of(InputGenerator.completeAsOf(month)), name);
        return new Step(name, rows, (System.nanoTime() - t0) / 1_000_000);
    }
}
