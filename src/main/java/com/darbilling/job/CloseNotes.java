package com.darbilling.job;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.contract.RunStatus;
import com.darbilling.input.RawFile;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * What an operator closing a month should know: usage that may belong to the month and is not in
 * its invoice. One line each: unfinished nightly batches, raw files set aside and not billed since,
 * raw files changed or deleted after they were billed, and changes to closed site-months that were reported unbilled since the month's last reprocess.
 */
final class CloseNotes {
    private CloseNotes() {
    }

    static List<String> of(DeltaWriter writer, YearMonth month) {
        List<String> notes = new ArrayList<>();
        String prefix = "close " + month + ": ";
        List<Long> batches = writer.read(StateTables.BATCHES).where(col("done").equalTo(false)).orderBy("batch_id")
                .select("batch_id").collectAsList().stream().map(r -> r.getLong(0)).toList();
        if (!batches.isEmpty()) {
            notes.add(prefix + "nightly batch " + batches + " is unfinished (a run stopped in it; its files may hold usage of the month): "
                    + "run nightly, then reprocess the month and close again");
        }
        Optional<Instant> lastReprocess = lastReprocess(writer, month);
        Map<String, String> rejected = rejectedFiles(writer, month, lastReprocess);
        if (!rejected.isEmpty()) {
            notes.add(prefix + rejected.size() + " raw files that may hold usage of the month were set aside and not billed since "
                    + "(rejected_files): " + rejected.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        }
        List<String> changed = ChangedFiles.waitingFor(writer, month);
        if (!changed.isEmpty()) {
            notes.add(prefix + changed.size() + " raw files billed in the month were changed or deleted since and are not billed as they are "
                    + "now (changed_files): " + changed + "; reprocess the month to bill them");
        }
        Set<String> unbilled = unbilledChanges(writer, month, lastReprocess);
        if (!unbilled.isEmpty()) {
            notes.add(prefix + "usage of closed site-months changed without being billed (runs.unbilled_changes): " + unbilled
                    + "; reprocess the month to bill it");
        }
        return notes;
    }

    /** The start of the month's latest successful reprocess: it read every raw file of the month again. */
    private static Optional<Instant> lastReprocess(DeltaWriter writer, YearMonth month) {
        List<Row> rows = writer.read(OutputTables.RUNS)
                .where(col("command").equalTo("reprocess").and(col(Columns.STATUS).equalTo(RunStatus.SUCCEEDED.name()))
                        .and(array_contains(col("months"), month.toString())))
                .agg(org.apache.spark.sql.functions.max("started_at")).collectAsList();
        return rows.isEmpty() || rows.get(0).isNullAt(0) ? Optional.empty() : Optional.of(rows.get(0).getAs(0));
    }

    /**
     * Files of the month (an event_date partition from the day before it to the day after it, as a
     * reprocess reads, or a table without partitions) set aside by a run since the month's last
     * reprocess and not processed by a nightly run since: file -> reason of its latest rejection.
     */
    private static Map<String, String> rejectedFiles(DeltaWriter writer, YearMonth month, Optional<Instant> since) {
        Map<String, Instant> runStarts = new TreeMap<>();
        writer.read(OutputTables.RUNS).select(Columns.RUN_ID, "started_at").collectAsList()
                .forEach(r -> runStarts.put(r.getString(0), r.getAs(1)));
        Set<String> processed = new HashSet<>();
        writer.read(StateTables.PROCESSED_FILES).select("path").collectAsList().forEach(r -> processed.add(r.getString(0)));
        Map<String, String> files = new TreeMap<>();
        Map<String, Instant> latest = new TreeMap<>();
        for (Row r : writer.read(OutputTables.REJECTED_FILES).collectAsList()) {
            String file = r.getAs(Columns.INPUT_FILE);
            Instant at = runStarts.getOrDefault(r.<String>getAs(Columns.RUN_ID), Instant.MIN);
            if (processed.contains(file) || !ofMonth(file, month) || since.map(at::isBefore).orElse(false)
                    || latest.containsKey(file) && latest.get(file).isAfter(at)) {
                continue;
            }
            latest.put(file, at);
            files.put(file, r.getAs(Columns.REASON));
        }
        return files;
    }

    private static boolean ofMonth(String file, YearMonth month) {
        Optional<LocalDate> date = RawFile.eventDateOf(file);
        if (date.isEmpty()) {
            return true;
        }
        LocalDate d = date.get();
        return !d.isBefore(month.atDay(1).minusDays(1)) && !d.isAfter(month.atEndOfMonth().plusDays(1));
    }

    /** "site month" entries of the month in runs.unbilled_changes of runs since its last reprocess. */
    private static Set<String> unbilledChanges(DeltaWriter writer, YearMonth month, Optional<Instant> since) {
        Set<String> changes = new TreeSet<>();
        for (Row r : writer.read(OutputTables.RUNS).where(col("unbilled_changes").isNotNull()).select("started_at", "unbilled_changes")
                .collectAsList()) {
            if (since.map(s -> r.<Instant>getAs(0).isBefore(s)).orElse(false)) {
                continue;
            }
            for (String change : r.getString(1).split(", ")) {
                if (change.endsWith(" " + month)) {
                    changes.add(change);
                }
            }
        }
        return changes;
    }
}
