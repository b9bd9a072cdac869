package com.darbilling.job;

import com.darbilling.input.EventValidation;
import com.darbilling.input.InputReader;
import com.darbilling.input.RawFile;
import com.darbilling.input.RawFileCheck;
import com.darbilling.input.RejectedFile;
import com.darbilling.input.SourceCounts;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.report.InvoiceDiff;
import com.darbilling.run.RunFailure;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code reprocess --dry-run}: computes the month from the raw files as reprocess does (the same
 * listing, checks, validation, DARs and rating: {@link BillingJob#preview}) and prints, per site, how
 * its invoice would change against the current version ({@link InvoiceDiff}). It writes nothing at
 * all: no lock, no runs row, no rejected_files row, no state, no table created (a warehouse that does
 * not exist is compared as one without invoices). What a reprocess would refuse, it refuses the same
 * way (reference data, another pseudonym key, an unreadable raw file).
 */
final class DryRun {
    private final SparkSession spark;
    private final InputReader reader;
    private final DeltaWriter writer;
    private final BillingJob job;
    private final WarehouseKey warehouseKey;
    private final UnfinishedMonths unfinished;
    private final PrintStream out;
    private final Clock clock;

    DryRun(SparkSession spark, InputReader reader, DeltaWriter writer, BillingJob job, WarehouseKey warehouseKey,
           UnfinishedMonths unfinished, PrintStream out, Clock clock) {
        this.spark = spark;
        this.reader = reader;
        this.writer = writer;
        this.job = job;
        this.warehouseKey = warehouseKey;
        this.unfinished = unfinished;
        this.out = out;
        this.clock = clock;
    }

    InvoiceDiff run(YearMonth month, Optional<Instant> givenAsOf) {
        // As a run takes it: the start, to the second, unless given.
        Instant asOf = givenAsOf.orElse(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        out.println("dry run: reprocess " + month + " as of " + asOf + ", compared with the invoices in " + writer.warehouse()
                + "; nothing is written and no lock is taken");
        BillingJob.Reference reference = job.preflight(Optional.of(month));
        warehouseKey.check();
        if (!writer.exists(OutputTables.INVOICE_LINES)) {
            out.println("dry run: " + writer.warehouse() + " holds no invoice_lines table (a new warehouse, or a wrong --warehouse?): "
                    + "every site's invoice is compared with none");
        }
        unfinished.markedBy(month).ifPresent(run -> out.println("dry run: " + month + " is unfinished (reprocess run " + run
                + " stopped between its writes): its DARs may be newer than its invoice lines, which are what this compares with"));
        List<RawFile> listed = MonthFiles.listed(reader, month);
        List<RejectedFile> problems = RawFileCheck.rejected(spark, listed);
        List<RejectedFile> unreadable = MonthFiles.unreadable(problems);
        if (!unreadable.isEmpty()) {
            unreadable.forEach(f -> out.println("dry run: unreadable, a reprocess would fail on it: " + f.describe()));
            throw new RunFailure("dry run: " + unreadable.get(0).describe()
                    + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1) + " more files, listed above)" : "")
                    + ": a reprocess of " + month + " would fail", null);
        }
        problems.forEach(f -> out.println("dry run: empty file (no rows; an upload that failed?): " + f.describe()));

        BillingJob.Preview preview = job.preview(month, MonthFiles.byInput(listed, problems), asOf, reference);
        preview.counts().forEach(c -> out.println("dry run:   " + c.describe()));
        long afterCutoff = preview.counts().stream().mapToLong(SourceCounts::afterCutoff).sum();
        if (afterCutoff > 0) {
            out.println("dry run:   " + afterCutoff + " rows lie more than a day after the cutoff " + asOf + " (after "
                    + asOf.plus(EventValidation.AS_OF_MARGIN) + "): quarantined TIMESTAMP_OUT_OF_RANGE, not billed");
        }
        MonthRating.Rated rated = preview.rated();
        InvoiceDiff diff = InvoiceDiff.of(month, rated.existing(), rated.plan());
        diff.lines().forEach(line -> out.println("dry run: " + line));
        return diff;
    }
}
