package com.darbilling.job;

import com.darbilling.contract.FileRejection;
import com.darbilling.input.InputReader;
import com.darbilling.input.RawFile;
import com.darbilling.input.RawFileCheck;
import com.darbilling.input.RejectedFile;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.Rows;
import com.darbilling.output.StateTables;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.projection.UsageOutlook;
import com.darbilling.report.InvoiceDiff;
import com.darbilling.report.RunReport;
import com.darbilling.run.Failures;
import com.darbilling.run.RunFailure;
import com.darbilling.run.RunRecord;
import com.darbilling.run.Runs;
import com.darbilling.storage.Location;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The job's commands, on plain values. Each checks its inputs first (a problem found then leaves
 * the warehouse untouched), then takes the warehouse lock, records itself RUNNING in the runs
 * table, works, and records how it ended.
 */
public final class Commands {
    private final SparkSession spark;
    private final DeltaWriter writer;
    private final InputReader reader;
    private final BillingJob job;
    private final PrintStream out;
    private final Clock clock;
    private final PlanCatalog catalog;
    private final Runs runs;
    private final MonthClose close;
    private final WarehouseKey warehouseKey;
    private final UnfinishedMonths unfinished;
    private final ChangedFiles changedFiles;
    private final ReferenceChanges referenceChanges;

    public Commands(SparkSession spark, Location input, Location warehouse, PlanCatalog catalog, PseudonymKey key, PrintStream out) {
        this(spark, input, warehouse, catalog, key, out, Clock.systemUTC());
    }

    /** @param clock the runs' start and end times (bookkeeping); billing reads only the explicit as-of instant */
    public Commands(SparkSession spark, Location input, Location warehouse, PlanCatalog catalog, PseudonymKey key, PrintStream out,
                    Clock clock) {
        this(spark, new InputReader(spark, input), new DeltaWriter(spark, warehouse), catalog, key, out, clock);
    }

    /** With a given reader and writer: tests inject faults through them. */
    Commands(SparkSession spark, InputReader reader, DeltaWriter writer, PlanCatalog catalog, PseudonymKey key,
             PrintStream out, Clock clock) {
        this.clock = clock;
        this.catalog = catalog;
        this.spark = spark;
        this.writer = writer.noticesTo(out::println);
        this.reader = reader;
        this.job = new BillingJob(spark, reader, writer, catalog, key, out::println);
        this.out = out;
        this.runs = new Runs(spark, writer, out);
        this.close = new MonthClose(spark, writer, out, clock);
        this.warehouseKey = new WarehouseKey(spark, writer, key, out);
        this.unfinished = new UnfinishedMonths(spark, writer);
        this.changedFiles = new ChangedFiles(spark, writer, reader, out);
        this.referenceChanges = new ReferenceChanges(spark, writer, catalog);
    }

    public RunRecord reprocess(YearMonth month, String arguments) {
        return reprocess(month, Optional.empty(), arguments);
    }

    /**
     * @param asOf the cutoff (--as-of); the run's start when empty. A raw file that cannot be read
     *             fails the run, naming it: a month recomputed by an operator must be complete.
     */
    public RunRecord reprocess(YearMonth month, Optional<Instant> asOf, String arguments) {
        RunRecord run = new RunRecord("reprocess", arguments, clock, asOf);
        BillingJob.Reference reference = job.preflight(Optional.of(month));
        return runs.locked(run, warehouseKey::check, r -> {
            warehouseKey.recordIfAbsent(r.runId());
            List<RawFile> listed = MonthFiles.listed(reader, month);
            List<RejectedFile> problems = RawFileCheck.rejected(spark, listed);
            List<RejectedFile> unreadable = MonthFiles.unreadable(problems);
            recordRejected(r, problems, unreadable.isEmpty());
            if (!unreadable.isEmpty()) {
                throw new RunFailure(unreadable.get(0).describe()
                        + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1) + " more files: see rejected_files)" : ""), null);
            }
            reprocessMonth(r, month, listed, problems, reference);
        });
    }

    /**
     * Replaces {@code month} in every table with what {@code listed} (checked, {@code empty} read
     * past) gives, and records the reference data it was rated with: a reprocess, and a nightly run
     * whose reference data changed for an open month.
     */
    private void reprocessMonth(RunRecord r, YearMonth month, List<RawFile> listed, List<RejectedFile> empty, BillingJob.Reference reference) {
        // From the first write of the month to the last, its tables may disagree: marked, so a
        // nightly run does not build on a month this run leaves half-written. So are the other
        // months sharing a session or invocation id with the month as it stands: once its state
        // is replaced, nothing tells which of their sites to re-rate, should the run stop there.
        Map<YearMonth, java.util.Set<String>> sharing = job.sharingIds(month);
        java.util.Set<YearMonth> alsoMarked = unfinished.markUnmarked(sharing.keySet(), r.runId());
        unfinished.mark(month, r.runId());
        MonthResult result = job.reprocess(month, MonthFiles.byInput(listed, empty), r.runId(), r.asOf(), reference, sharing);
        List<String> outlook = new ArrayList<>(UsageOutlook.afterRating(spark, writer, reference.assignments(), reference.zones(), catalog,
                Map.of(month, result.invoiceLines()), true, r.runId(), r.asOf()));
        if (!result.otherMonths().isEmpty()) {
            outlook.addAll(UsageOutlook.afterRating(spark, writer, reference.assignments(), reference.zones(), catalog,
                    result.otherMonths().stream().collect(Collectors.toMap(MonthRating.Result::month, MonthRating.Result::linesWritten)),
                    false, r.runId(), r.asOf()));
        }
        referenceChanges.record(month, reference, r.runId());
        unfinished.clear(month);
        alsoMarked.forEach(unfinished::clear);
        changedFiles.clearMonth(month, listed);
        compact(List.of(month));
        // runs.months stays the month reprocessed (close looks for a month's last reprocess there); the
        // other months' sites it re-rated show in the report, and their unbilled changes in the run.
        List<String> unbilled = Stream.concat(result.unbilledChanges().stream(),
                result.otherMonths().stream().flatMap(m -> m.unbilledChanges().stream())).toList();
        long lines = result.invoiceLines().size() + result.otherMonths().stream().mapToLong(m -> m.linesWritten().size()).sum();
        r.add(result.counts(), List.of(result.month()), result.darRows(), lines, unbilled);
        RunReport.lines(result.month() + ": " + result.darRows() + " DARs, " + result.invoiceLines().size() + " invoice lines written"
                        + result.otherMonths().stream().map(m -> "; " + m.month() + " (sites sharing a session or invocation id): "
                        + m.linesWritten().size() + " invoice lines").collect(Collectors.joining()),
                r, result.counts(), unbilled, result.stageMillis()).forEach(out::println);
        outlook.forEach(out::println);
    }

    /**
     * Brings the open months whose reference data changed since they were rated where a reprocess
     * puts them, by reprocessing each; names the reprocess of a closed month (it writes version n+1),
     * and of an open month with a raw file that cannot be read, without running it.
     *
     * @return whether a month was reprocessed
     */
    private boolean applyReferenceChanges(RunRecord r, BillingJob.Reference reference) {
        List<String> done = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (ReferenceChanges.Stale stale : referenceChanges.find(reference, r.runId())) {
            String command = "jobs/billing reprocess --month " + stale.month() + " --input " + reader.root() + " --warehouse " + writer.warehouse();
            if (stale.closed()) {
                out.println("nightly: " + stale.describe() + "; the month is closed (FINAL): bill it as version n+1 with " + command);
                waiting.add(stale.describe() + " (closed: waiting for a reprocess)");
                r.add(List.of(), List.of(), 0, 0, List.of(stale.month() + " (reference data changed)"));
                continue;
            }
            List<RawFile> listed = MonthFiles.listed(reader, stale.month());
            List<RejectedFile> problems = RawFileCheck.rejected(spark, listed);
            List<RejectedFile> unreadable = MonthFiles.unreadable(problems);
            if (!unreadable.isEmpty()) {
                out.println("nightly: " + stale.describe() + "; the month cannot be reprocessed: " + unreadable.get(0).describe()
                        + "; restore the file, then run " + command);
                waiting.add(stale.describe() + " (not reprocessed: a raw file cannot be read)");
                continue;
            }
            out.println("nightly: " + stale.describe() + "; reprocessing " + stale.month() + " (an open month: DARs from the raw files, then rating)");
            reprocessMonth(r, stale.month(), listed, problems, reference);
            done.add(stale.describe() + " (reprocessed)");
        }
        List<String> all = new ArrayList<>(done);
        all.addAll(waiting);
        r.referenceChanges(all, waiting.size());
        return !done.isEmpty();
    }

    /** {@code reprocess --dry-run}: what a reprocess of the month would change in its invoices; writes nothing (see {@link DryRun}). */
    public InvoiceDiff dryRun(YearMonth month, Optional<Instant> asOf) {
        return new DryRun(spark, reader, writer, job, warehouseKey, unfinished, out, clock).run(month, asOf);
    }

    /** Every raw file not processed yet, with the run's start as the cutoff. */
    public RunRecord nightly(String arguments) {
        return nightly(Optional.empty(), Optional.empty(), arguments);
    }

    /** Every file of one UTC date's partitions, with the run's start as the cutoff. */
    public RunRecord nightly(LocalDate utcDate, String arguments) {
        return nightly(Optional.of(utcDate), Optional.empty(), arguments);
    }

    /**
     * Without a date: every raw file not processed yet (late files into old partitions included),
     * after finishing a batch a killed run left. With a date: every file of that UTC date's
     * partitions, processed before or not (merging them again changes nothing). A file that cannot
     * be read (empty, not Parquet, truncated, another schema, a corrupt page, gone) is set aside:
     * the rest is billed, the file is recorded in rejected_files and not marked processed, so the
     * next run tries it again; the run ends PARTIAL. A file billed before and changed or gone since
     * is not merged: each is named with the reprocess of every month it touches, in this run and the
     * next ones until those reprocesses are done (see {@link ChangedFiles}); the run ends PARTIAL.
     */
    public RunRecord nightly(Optional<LocalDate> utcDate, Optional<Instant> asOf, String arguments) {
        RunRecord run = new RunRecord("nightly", arguments, clock, asOf);
        BillingJob.Reference reference = job.preflight(Optional.empty());
        Nightly.Plan plan = Nightly.plan(writer, reader, utcDate);
        return runs.locked(run, () -> {
            warehouseKey.check();
            unfinished.refuseAny("nightly", reader.root().toString());
        }, r -> {
            warehouseKey.recordIfAbsent(r.runId());
            // Before the batch, so the lines are printed whatever happens to it; every run repeats them until the reprocesses are done.
            r.changedFiles(changedFiles.recordAndReport(plan.changed(), r.runId(), reader.root().toString()));
            if (applyReferenceChanges(r, reference)) {
                r.changedFiles(changedFiles.waiting()); // a month reprocessed applied the changed files it read
            }
            if (plan.files().isEmpty()) {
                out.println("nightly: no new raw files since the last run; " + (r.months().isEmpty() ? "nothing to do" : "no batch"));
                return;
            }
            long batchId = Nightly.start(writer, spark, plan, r.runId());
            out.println("nightly: batch " + batchId + (plan.resumed() ? " (resumed: a killed run left it unfinished)" : "")
                    + ", " + plan.files().size() + " raw files");
            List<RejectedFile> rejected = new ArrayList<>(RawFileCheck.rejected(spark, plan.files()));
            List<RawFile> billable = new ArrayList<>(plan.files());
            billable.removeAll(rejected.stream().map(RejectedFile::file).toList());
            BatchResult result = applyReadable(billable, plan.files(), rejected, r, reference);
            List<String> outlook = UsageOutlook.afterRating(spark, writer, reference.assignments(), reference.zones(), catalog, result.ratings().stream().collect(
                    Collectors.toMap(MonthRating.Result::month, MonthRating.Result::linesWritten)), false, r.runId(), r.asOf());
            referenceChanges.recordIfAbsent(result.monthsRerated(), reference, r.runId());
            Nightly.finish(writer, spark, billable, batchId);
            recordRejected(r, rejected, false);
            compact(result.monthsRerated());
            r.add(result.counts(), result.monthsRerated(), result.darRowsInserted(),
                    result.ratings().stream().mapToLong(m -> m.linesWritten().size()).sum(),
                    result.ratings().stream().flatMap(m -> m.unbilledChanges().stream()).toList());
            RunReport.lines("batch " + batchId + ": " + result.darRowsInserted() + " new DARs, months re-rated " + result.monthsRerated(),
                    r, result.counts(), r.unbilledChanges(), result.stageMillis()).forEach(out::println);
            outlook.forEach(out::println);
        });
    }

    /**
     * Applies the batch to the files that pass the footer check; when Spark then fails on one of
     * them (a corrupt page, a file deleted since), that file is set aside and the batch applied
     * again without it: every write of a batch is idempotent, so a half-applied attempt is harmless.
     */
    private BatchResult applyReadable(List<RawFile> billable, List<RawFile> batchFiles, List<RejectedFile> rejected, RunRecord run,
                                      BillingJob.Reference reference) {
        while (true) {
            try {
                return job.applyBatch(billable, batchFiles, run.runId(), run.asOf(), reference);
            } catch (Exception e) { // Spark's SparkException is checked but thrown undeclared
                Optional<RawFile> bad = Failures.unreadableFile(e).flatMap(path -> billable.stream()
                        .filter(f -> f.location().equals(RawFile.locationOf(path))).findFirst());
                if (bad.isEmpty()) {
                    throw e;
                }
                String cause = Failures.rootCause(e);
                FileRejection reason = cause.contains("does not exist") ? FileRejection.MISSING_FILE : FileRejection.READ_ERROR;
                rejected.add(new RejectedFile(bad.get(), reason, cause + " (found while reading; the batch was applied without it)"));
                billable.remove(bad.get());
            }
        }
    }

    /**
     * Records (in rejected_files and the run) and prints the files a run set aside.
     *
     * @param billed true when the run bills the rest (a reprocess reading past empty files), false
     *               when the files are left for a later run (nightly) or fail the run (reprocess)
     */
    private void recordRejected(RunRecord run, List<RejectedFile> files, boolean billed) {
        if (files.isEmpty()) {
            return;
        }
        run.addRejected(files, billed);
        for (RejectedFile f : files) {
            String what = f.reason() == FileRejection.EMPTY_FILE ? "empty file (no rows; an upload that failed?): "
                    : run.command().equals("nightly") ? "rejected, not billed (the next nightly run tries it again): "
                    : f.reason() == FileRejection.OUTSIDE_PARTITION ? "outside the event_date folders, the month cannot be billed complete: "
                    : "unreadable, the month cannot be billed complete: ";
            out.println(what + f.describe());
        }
        writer.append(OutputTables.REJECTED_FILES, Rows.rejectedFiles(spark, files, run.runId()));
    }

    /**
     * Nightly runs add a few files to the month partitions they touch and to the unpartitioned
     * tables, and a reprocess writes a month in up to one file per shuffle partition: a partition
     * that has reached {@link DeltaWriter#COMPACT_AT_FILES} files is compacted.
     */
    private void compact(List<YearMonth> months) {
        List<String> monthNames = months.stream().map(YearMonth::toString).toList();
        Stream.of(OutputTables.ALL.stream(), StateTables.MONTH_STATE.stream(), Stream.of(StateTables.PROCESSED_FILES, StateTables.BATCHES))
                .flatMap(s -> s)
                .forEach(table -> writer.compactIfFragmented(table, monthNames).forEach(partition ->
                        out.println("compacted " + table.name() + (partition.isEmpty() ? "" : " " + partition))));
    }

    /** Marks the month's DRAFT lines FINAL (R10): see {@link MonthClose}. */
    public RunRecord close(YearMonth month, String arguments) {
        return close.close(month, arguments);
    }
}
