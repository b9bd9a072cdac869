package com.darbilling.job;

import com.darbilling.input.InputReader;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The job's commands, on plain values: what to read, where to write, which month or day. Every
 * run appends one row to the runs table once it has started writing.
 */
public final class Commands {
    private final SparkSession spark;
    private final DeltaWriter writer;
    private final BillingJob job;
    private final PrintStream out;

    public Commands(SparkSession spark, Path input, Path warehouse, PlanCatalog catalog, PseudonymKey key, PrintStream out) {
        this.spark = spark;
        this.writer = new DeltaWriter(spark, warehouse);
        this.job = new BillingJob(spark, new InputReader(spark, input), writer, catalog, key);
        this.out = out;
    }

    public RunRecord reprocess(YearMonth month, String arguments) {
        return run("reprocess", arguments, List.of(month));
    }

    public RunRecord nightly(LocalDate utcDate, String arguments) {
        RunRecord run = new RunRecord("nightly", arguments);
        List<YearMonth> months = job.monthsTouchedBy(utcDate, run.startedAt());
        out.println("nightly " + utcDate + ": " + (months.isEmpty() ? "no events, nothing to re-rate" : "re-rating " + months));
        return run(run, months);
    }

    private RunRecord run(String command, String arguments, List<YearMonth> months) {
        return run(new RunRecord(command, arguments), months);
    }

    private RunRecord run(RunRecord run, List<YearMonth> months) {
        try {
            for (YearMonth month : months) {
                MonthResult result = job.reprocess(month, run.runId(), run.startedAt());
                run.add(result);
                report(result);
            }
        } catch (RuntimeException e) {
            if (!run.months().isEmpty()) {
                writer.append(OutputTables.RUNS, run.toRow(spark, "FAILED", String.valueOf(e.getMessage())));
            }
            throw e;
        }
        writer.append(OutputTables.RUNS, run.toRow(spark, "SUCCEEDED", null));
        out.println("run " + run.runId() + " SUCCEEDED");
        return run;
    }

    private void report(MonthResult result) {
        out.printf(java.util.Locale.ROOT, "month %s: %,d DAR rows, %,d invoice lines%n", result.month(), result.darRows(),
                result.invoiceLines().size());
        result.counts().forEach(c -> out.println("  " + c.describe()));
        out.println("  stages (ms): " + result.stageMillis());
    }
}
