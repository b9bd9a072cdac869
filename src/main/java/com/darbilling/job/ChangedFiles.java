package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.darbilling.contract.Columns;
import com.darbilling.input.EventSource;
import com.darbilling.input.InputReader;
import com.darbilling.input.RawFile;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Raw files rewritten in place or deleted after a nightly run billed them. A nightly merge inserts
 * ids it has not seen and cannot take a file's old rows out, so nightly does not merge a changed
 * file: it records the file with every billing month it touches in {@link StateTables#CHANGED_FILES}
 * and names the reprocess of each month, run after run, until those reprocesses are done. A
 * reprocess of a month deletes the month's rows; a file with no row left gets its current size and
 * time in processed_files (or loses its row there, when gone), so nightly is quiet again.
 */
final class ChangedFiles {
    /** A file as processed_files has it, and as the listing shows it now (empty: gone). */
    record Change(RawFile processed, Optional<RawFile> now) {
    }

    private final SparkSession spark;
    private final DeltaWriter writer;
    private final InputReader reader;
    private final PrintStream out;

    ChangedFiles(SparkSession spark, DeltaWriter writer, InputReader reader, PrintStream out) {
        this.spark = spark;
        this.writer = writer;
        this.reader = reader;
        this.out = out;
    }

    /** The processed files whose listing shows another size or modification time, or none. */
    static List<Change> detect(List<RawFile> processed, List<RawFile> listed) {
        Map<String, RawFile> byPath = listed.stream().collect(Collectors.toMap(RawFile::path, f -> f, (a, b) -> a));
        List<Change> changes = new ArrayList<>();
        for (RawFile before : processed) {
            RawFile now = byPath.get(before.path());
            if (!before.sameAs(now)) {
                changes.add(new Change(before, Optional.ofNullable(now)));
            }
        }
        return changes;
    }

    /** The files processed_files holds, as they were processed. */
    static List<RawFile> processed(DeltaWriter writer) {
        return writer.read(StateTables.PROCESSED_FILES).collectAsList().stream()
                .map(r -> new RawFile(EventSource.ofTable(r.getAs(Columns.SOURCE)), r.getAs("path"), r.<Long>getAs("size"),
                        r.getAs("modified_at")))
                .toList();
    }

    /**
     * Records the changes found by a nightly run: a file already recorded with the same new size and
     * time keeps its rows (months reprocessed since are done); a file new here, or changed again,
     * gets a row for every month it touches. A file whose rows lie in no billed month is settled at
     * once. Then prints one line per file still waiting for a reprocess.
     *
     * @return the number of files waiting
     */
    int recordAndReport(List<Change> changes, String runId, String input) {
        Map<String, List<Row>> pending = pendingByPath(writer.read(StateTables.CHANGED_FILES).collectAsList());
        List<Row> rows = new ArrayList<>();
        List<String> recorded = new ArrayList<>();
        for (Change change : changes) {
            String path = change.processed().path();
            List<Row> known = pending.getOrDefault(path, List.of());
            if (!known.isEmpty() && known.stream().allMatch(r -> newStateIs(r, change.now()))) {
                continue;
            }
            Set<YearMonth> months = monthsTouched(change);
            if (months.isEmpty()) {
                settle(path, change.now());
                out.println((change.now().isPresent() ? "changed" : "gone") + " after it was billed, no billed month holds rows of its input: "
                        + path + "; processed_files updated");
                continue;
            }
            recorded.add(path);
            RawFile before = change.processed();
            for (YearMonth month : months) {
                rows.add(RowFactory.create(path, before.source().table(), month.toString(), before.size(), before.modifiedAt(),
                        change.now().map(RawFile::size).orElse(null), change.now().map(RawFile::modifiedAt).orElse(null), runId));
            }
        }
        if (!recorded.isEmpty()) {
            writer.replace(StateTables.CHANGED_FILES, LocalRows.of(spark, rows, StateTables.CHANGED_FILES.schema()),
                    col("path").isin(recorded.toArray()));
        }
        Map<String, List<Row>> waiting = pendingByPath(writer.read(StateTables.CHANGED_FILES).collectAsList());
        waiting.forEach((path, fileRows) -> out.println(line(path, fileRows, input)));
        return waiting.size();
    }

    /**
     * After a reprocess of {@code month} that read {@code listed}: deletes the month's rows of the
     * files it read as recorded (a file changed again since keeps its row: the next nightly records
     * it anew), and settles each file that has no row left.
     */
    void clearMonth(YearMonth month, List<RawFile> listed) {
        List<Row> rows = writer.read(StateTables.CHANGED_FILES).where(DeltaWriter.inMonth(month.toString())).collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, RawFile> now = listed.stream().collect(Collectors.toMap(RawFile::path, f -> f, (a, b) -> a));
        List<String> cleared = new ArrayList<>();
        for (Row r : rows) {
            String path = r.getAs("path");
            if (newStateIs(r, Optional.ofNullable(now.get(path)))) {
                cleared.add(path);
            } else {
                out.println("changed again since nightly reported it: " + path + "; run nightly, then reprocess the months it names");
            }
        }
        if (cleared.isEmpty()) {
            return;
        }
        writer.delete(StateTables.CHANGED_FILES, DeltaWriter.inMonth(month.toString()).and(col("path").isin(cleared.toArray())));
        Set<String> left = pendingByPath(writer.read(StateTables.CHANGED_FILES).where(col("path").isin(cleared.toArray()))
                .collectAsList()).keySet();
        for (String path : cleared) {
            if (left.contains(path)) {
                out.println("changed file billed as it is now in " + month + ": " + path + "; still to reprocess: "
                        + writer.read(StateTables.CHANGED_FILES).where(col("path").equalTo(path)).select(Columns.BILLING_MONTH)
                        .collectAsList().stream().map(m -> m.getString(0)).sorted().toList());
            } else {
                settle(path, Optional.ofNullable(now.get(path)));
                out.println("changed file billed as it is now in every month it touches: " + path
                        + (now.containsKey(path) ? "" : " (gone)") + "; nightly no longer reports it");
            }
        }
    }

    /** The number of changed or gone files still waiting for a reprocess. */
    long waiting() {
        return writer.read(StateTables.CHANGED_FILES).select("path").distinct().count();
    }

    /** Changed or gone files waiting for a reprocess of {@code month}. */
    static List<String> waitingFor(DeltaWriter writer, YearMonth month) {
        return writer.read(StateTables.CHANGED_FILES).where(DeltaWriter.inMonth(month.toString())).select("path").collectAsList()
                .stream().map(r -> r.getString(0)).sorted().toList();
    }

    /**
     * The billing months a file's rows (before or after the change) may lie in. In an
     * {@code event_date=D} folder: the months of local dates D-1 to D+1 (a local date lies within a
     * day of the UTC date). Outside one (co-browse sessions, which have no partitions): the month
     * state does not record the file a row came from, so every month holding rows of its input, and
     * the months of the file's rows as they are now.
     */
    private Set<YearMonth> monthsTouched(Change change) {
        RawFile file = change.processed();
        Optional<LocalDate> date = file.eventDate();
        if (date.isPresent()) {
            return monthsOf(date.get(), date.get());
        }
        Set<YearMonth> months = new TreeSet<>();
        writer.read(billedRowsOf(file.source())).select(Columns.BILLING_MONTH).distinct().collectAsList()
                .forEach(r -> months.add(YearMonth.parse(r.getString(0))));
        change.now().ifPresent(now -> months.addAll(monthsOfRows(now)));
        return months;
    }

    private Set<YearMonth> monthsOfRows(RawFile file) {
        try {
            Row span = reader.files(file.source(), List.of(file.path())).agg(min(file.source().timeColumn()), max(file.source().timeColumn()))
                    .first();
            if (span.isNullAt(0)) {
                return Set.of();
            }
            return monthsOf(LocalDate.ofInstant(span.getAs(0), ZoneOffset.UTC), LocalDate.ofInstant(span.getAs(1), ZoneOffset.UTC));
        } catch (Exception unreadable) { // the reprocess that applies the change reads it again and names what is wrong
            return Set.of();
        }
    }

    private static Set<YearMonth> monthsOf(LocalDate firstUtcDate, LocalDate lastUtcDate) {
        Set<YearMonth> months = new TreeSet<>();
        for (LocalDate d = firstUtcDate.minusDays(1); !d.isAfter(lastUtcDate.plusDays(1)); d = d.plusDays(1)) {
            months.add(YearMonth.from(d));
        }
        return months;
    }

    private static TableSpec billedRowsOf(EventSource source) {
        return switch (source) {
            case MESSAGES -> OutputTables.DAILY_ACTIVE_RELATIONSHIPS;
            case COBROWSE_SESSIONS -> StateTables.COBROWSE_SESSIONS;
            case FUNCTION_INVOCATIONS -> StateTables.FUNCTION_INVOCATIONS;
        };
    }

    /** processed_files takes the file as it is now (or loses it when gone): nightly compares with that. */
    private void settle(String path, Optional<RawFile> now) {
        if (now.isEmpty()) {
            writer.delete(StateTables.PROCESSED_FILES, col("path").equalTo(path));
        } else {
            writer.update(StateTables.PROCESSED_FILES, col("path").equalTo(path),
                    Map.of("size", lit(now.get().size()), "modified_at", lit(now.get().modifiedAt())));
        }
    }

    private static boolean newStateIs(Row recorded, Optional<RawFile> now) {
        if (recorded.isNullAt(recorded.fieldIndex("new_size"))) {
            return now.isEmpty();
        }
        return now.isPresent() && now.get().size() == recorded.<Long>getAs("new_size")
                && now.get().modifiedAt().equals(recorded.<Instant>getAs("new_modified_at"));
    }

    private static Map<String, List<Row>> pendingByPath(List<Row> rows) {
        Map<String, List<Row>> byPath = new TreeMap<>();
        rows.forEach(r -> byPath.computeIfAbsent(r.getAs("path"), p -> new ArrayList<>()).add(r));
        return byPath;
    }

    /** One line per file: what changed and the command that applies it to each month. */
    private String line(String path, List<Row> rows, String input) {
        Row first = rows.get(0);
        String before = first.<Long>getAs("old_size") + " bytes modified " + first.<Instant>getAs("old_modified_at");
        String what = first.isNullAt(first.fieldIndex("new_size"))
                ? "gone after it was billed (its rows stay billed until the months are reprocessed): " + path + " (" + first.getAs(Columns.SOURCE)
                        + ", " + before + ")"
                : "changed after it was billed, not merged (nightly adds new ids only, it cannot take the file's old rows out): " + path
                        + " (" + first.getAs(Columns.SOURCE) + ", " + before + " -> " + first.<Long>getAs("new_size") + " bytes modified "
                        + first.<Instant>getAs("new_modified_at") + ")";
        return what + "; apply it with " + rows.stream().map(r -> r.<String>getAs(Columns.BILLING_MONTH)).sorted()
                .map(m -> "jobs/billing reprocess --month " + m + " --input " + input + " --warehouse " + writer.warehouse())
                .collect(Collectors.joining("; "));
    }
}
