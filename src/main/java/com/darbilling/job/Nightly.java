package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.input.EventSource;
import com.darbilling.input.InputReader;
import com.darbilling.input.RawFile;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.StateTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The nightly batches. A batch's file list is written (planned) before its first write and marked
 * done after its last, and the processed files are recorded then. A run killed in between leaves
 * the batch planned: the next run applies the same files again, which is safe because every write
 * of a batch is idempotent.
 */
final class Nightly {
    /**
     * The files of the next batch; {@code resumed} when they are those of a batch a killed run left.
     * {@code changed}: processed files the listing shows with another size or modification time, or
     * not at all (found without --date only); they are not in the batch.
     */
    record Plan(List<RawFile> files, boolean resumed, Long batchId, List<ChangedFiles.Change> changed) {
    }

    private Nightly() {
    }

    static Plan plan(DeltaWriter writer, InputReader reader, Optional<LocalDate> utcDate) {
        List<RawFile> processed = utcDate.isEmpty() ? ChangedFiles.processed(writer) : List.of();
        List<RawFile> listed = new ArrayList<>();
        for (EventSource source : EventSource.values()) {
            if (utcDate.isPresent() && !source.partitionedByEventDate()) {
                continue;
            }
            listed.addAll(utcDate.map(d -> reader.filesOfDate(source, d)).orElseGet(() -> reader.allFiles(source)));
        }
        List<ChangedFiles.Change> changed = ChangedFiles.detect(processed, listed);
        List<Row> unfinished = writer.read(StateTables.BATCHES).where(col("done").equalTo(false)).orderBy("batch_id").collectAsList();
        if (!unfinished.isEmpty()) {
            Row batch = unfinished.get(0);
            List<RawFile> files = new ArrayList<>();
            for (Row f : batch.<Row>getList(batch.fieldIndex("files"))) {
                // As planned: the file check sets a file gone since aside, and processed_files records what was planned.
                files.add(new RawFile(EventSource.ofTable(f.getAs(Columns.SOURCE)), f.getAs("path"), f.<Long>getAs("size"),
                        f.getAs("modified_at")));
            }
            return new Plan(files, true, batch.getLong(batch.fieldIndex("batch_id")), changed);
        }
        Set<String> processedPaths = new HashSet<>();
        processed.forEach(f -> processedPaths.add(f.path()));
        List<RawFile> files = listed.stream().filter(f -> !processedPaths.contains(f.path())).toList();
        return new Plan(files, false, null, changed);
    }

    /** Records the batch as planned (or finds it again when resumed) and returns its id. */
    static long start(DeltaWriter writer, SparkSession spark, Plan plan, String runId) {
        if (plan.resumed()) {
            return plan.batchId();
        }
        Row last = writer.read(StateTables.BATCHES).agg(org.apache.spark.sql.functions.max("batch_id")).first();
        long batchId = last.isNullAt(0) ? 1 : last.getLong(0) + 1;
        List<Row> files = plan.files().stream()
                .map(f -> RowFactory.create(f.source().table(), f.path(), f.size(), f.modifiedAt()))
                .toList();
        writer.append(StateTables.BATCHES, LocalRows.of(spark, List.of(RowFactory.create(batchId, runId, files, false)),
                StateTables.BATCHES.schema()));
        return batchId;
    }

    /** Records the batch's files as processed, then the batch as done. */
    static void finish(DeltaWriter writer, SparkSession spark, List<RawFile> files, long batchId) {
        List<Row> rows = files.stream()
                .map(f -> RowFactory.create(f.path(), f.source().table(), f.size(), f.modifiedAt(), batchId))
                .toList();
        writer.mergeNew(StateTables.PROCESSED_FILES, LocalRows.of(spark, rows, StateTables.PROCESSED_FILES.schema()), lit(true));
        writer.update(StateTables.BATCHES, col("batch_id").equalTo(lit(batchId)), Map.of("done", lit(true)));
    }
}
