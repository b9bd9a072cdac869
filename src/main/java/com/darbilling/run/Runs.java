package com.darbilling.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.contract.RunStatus;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.storage.WarehouseLock;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * The life of a run in the warehouse: it takes the warehouse lock, records itself RUNNING in the
 * runs table, works, and records how it ended with the tables' versions.
 */
public final class Runs {
    private final SparkSession spark;
    private final DeltaWriter writer;
    private final PrintStream out;

    public Runs(SparkSession spark, DeltaWriter writer, PrintStream out) {
        this.spark = spark;
        this.writer = writer;
        this.out = out;
    }

    /** Delta's session setting whose value every commit records as its userMetadata. */
    public static final String COMMIT_USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

    /** The warehouse lock, unless {@code spark.billing.warehouseLock=off} says a scheduler guarantees one writer. */
    private WarehouseLock lock(RunRecord run) {
        if (spark.conf().get(WarehouseLock.SETTING, "on").equals("off")) {
            return WarehouseLock.none();
        }
        return WarehouseLock.acquire(writer.warehouse(), spark.sparkContext().hadoopConfiguration(), run.runId(), run.command());
    }

    /**
     * Runs {@code work} holding the warehouse lock, between a RUNNING row and the row of how it
     * ended. Whatever it throws (Spark's checked SparkException included), the run is recorded
     * FAILED with the cause in one line and a {@link RunFailure} carries that line to the caller;
     * the lock is released; every table is at its last committed version (each write is one commit).
     */
    public RunRecord locked(RunRecord run, Consumer<RunRecord> work) {
        return locked(run, () -> { }, work);
    }

    /**
     * The same, with {@code guard} run first under the lock, before anything is written: checks of
     * the warehouse that a run in progress could change. A {@link Refusal} it throws releases the
     * lock and leaves the warehouse as it was, without a runs row.
     */
    public RunRecord locked(RunRecord run, Runnable guard, Consumer<RunRecord> work) {
        try (WarehouseLock lock = lock(run)) {
            // Every Delta commit of the run (writes, merges, deletes, OPTIMIZE, table creation) carries its run id in the
            // table's history (commitInfo.userMetadata): an audit lists which run wrote what. Set once the lock is held.
            spark.conf().set(COMMIT_USER_METADATA, run.runId());
            // A run that lost its lock stops now: its commits are refused anyway (the fence), so its Spark jobs, the running
            // ones and any it starts later, are cancelled rather than computed up to the next commit.
            lock.whenLost(() -> spark.sparkContext().cancelAllJobs());
            SparkListener stopper = new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart job) {
                    if (lock.lost().isPresent()) {
                        spark.sparkContext().cancelJob(job.jobId());
                    }
                }
            };
            spark.sparkContext().addSparkListener(stopper);
            try {
                return lockedRun(run, guard, work, lock);
            } catch (RuntimeException e) {
                if (lock.lost().isPresent() && !(e instanceof RunFailure)) {
                    throw stopped(run, lock, e);
                }
                throw e;
            } finally {
                spark.sparkContext().removeSparkListener(stopper);
                spark.conf().unset(COMMIT_USER_METADATA);
            }
        }
    }

    private RunRecord lockedRun(RunRecord run, Runnable guard, Consumer<RunRecord> work, WarehouseLock lock) {
        guard.run();
        lock.previousHolder().ifPresent(previous -> {
            out.println("took over the lock of a run that stopped without releasing it: " + previous);
            writer.update(OutputTables.RUNS, col(Columns.STATUS).equalTo(lit(RunStatus.RUNNING.name())),
                    Map.of(Columns.STATUS, lit(RunStatus.INTERRUPTED.name())));
        });
        writer.append(OutputTables.RUNS, run.toRow(spark, RunStatus.RUNNING, null));
        try {
            work.accept(run);
        } catch (Exception | Error e) {
            throw lock.lost().isPresent() ? stopped(run, lock, e) : failed(run, e);
        }
        boolean partial = run.unbilledFiles() > 0 || run.changedFiles() > 0 || run.referenceWaiting() > 0;
        finish(run, partial ? RunStatus.PARTIAL : RunStatus.SUCCEEDED, null);
        if (partial) {
            out.println("run " + run.runId() + " PARTIAL: " + Stream.of(
                            run.unbilledFiles() > 0 ? run.unbilledFiles() + " raw files not billed (listed above and in rejected_files)" : "",
                            run.changedFiles() > 0 ? run.changedFiles() + " raw files changed or gone after they were billed, waiting for "
                                    + "the reprocesses named above (changed_files)" : "",
                            run.referenceWaiting() > 0 ? run.referenceWaiting() + " billing months whose reference data changed, waiting for "
                                    + "the reprocesses named above" : "")
                    .filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.joining("; ")) + "; everything else is billed");
        } else {
            out.println("run " + run.runId() + " SUCCEEDED");
        }
        if (!run.unbilledChanges().isEmpty()) {
            out.println("UNBILLED CHANGE in closed months (reprocess them to bill it): " + run.unbilledChanges());
        }
        return run;
    }

    /**
     * A run that lost its lock (another run took it over while this one was paused) writes nothing
     * more, its runs row included: the run that took over marked it INTERRUPTED.
     */
    private static RunFailure stopped(RunRecord run, WarehouseLock lock, Throwable e) {
        return new RunFailure("run " + run.runId() + " stopped before its next commit: " + lock.lost().orElseThrow()
                + "; nothing more written (the run that took over marked this one INTERRUPTED and finishes the work)", e);
    }

    /** Records the run FAILED with its cause in one line, as far as the warehouse still takes a write. */
    private RunFailure failed(RunRecord run, Throwable e) {
        String cause = e instanceof RunFailure ? e.getMessage() : Failures.oneLine(e);
        try {
            finish(run, RunStatus.FAILED, cause);
        } catch (Exception recording) {
            e.addSuppressed(recording);
            cause += " (and the runs row could not be updated: " + Failures.oneLine(recording) + ")";
        }
        return new RunFailure(cause, e);
    }

    private void finish(RunRecord run, RunStatus status, String error) {
        Map<String, Long> versions = new LinkedHashMap<>();
        Stream.concat(OutputTables.ALL.stream(), StateTables.MONTH_STATE.stream())
                .filter(t -> t != OutputTables.RUNS)
                .forEach(t -> versions.put(t.name(), writer.version(t)));
        run.tableVersions(versions);
        run.end(status);
        writer.replace(OutputTables.RUNS, run.toRow(spark, status, error), col(Columns.RUN_ID).equalTo(lit(run.runId())));
    }
}
