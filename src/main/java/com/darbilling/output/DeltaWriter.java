package com.darbilling.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import com.darbilling.contract.Columns;
import com.darbilling.storage.Location;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.sources.DeltaSQLConf;
import org.apache.spark.sql.types.StructField;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The one place that writes the warehouse. Each write is one Delta commit: a month is replaced
 * atomically (replaceWhere), never half-written. Tables keep reader protocol 1 and writer protocol 2
 * (column comments and NOT NULL invariants only) so DuckDB, Trino and delta-rs can read them.
 */
public class DeltaWriter {
    /** Time travel and audit: how long old table versions and their files are kept. */
    public static final String RETENTION = "interval 400 days";
    private static final String TARGET = "t";
    private static final String SOURCE = "s";

    private final SparkSession spark;
    private final Location warehouse;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    /**
     * Attempts of one write that meets another writer's commit on its table (an analyst's OPTIMIZE or
     * DELETE between this write's read and its commit): every write of a run replaces or inserts what
     * the run computed, so it is simply made again on the new version of the table.
     */
    public static final int WRITE_ATTEMPTS = 4;
    private static final long RETRY_PAUSE_MILLIS = 200;
    private volatile Consumer<String> notices = line -> { };

    /** A warehouse on any store of the session's Hadoop configuration; Delta picks its log store by the scheme. */
    public DeltaWriter(SparkSession spark, Location warehouse) {
        this.spark = spark;
        this.warehouse = warehouse;
    }

    /** Where a write that meets another writer's commit says so, one line per new attempt (the run's report). */
    public DeltaWriter noticesTo(Consumer<String> notices) {
        this.notices = notices;
        return this;
    }

    public Location warehouse() {
        return warehouse;
    }

    public String pathOf(TableSpec table) {
        return warehouse.resolve(table.name()).forSpark();
    }

    /**
     * Creates the table with its comments, layout and properties if it does not exist yet. Once per
     * table and writer: Delta's check of an existing table costs a snapshot update and a query plan
     * (about a tenth of a small reprocess), and this project never drops a table.
     */
    public void ensureTable(TableSpec table) {
        if (ensured.contains(table.name())) {
            return;
        }
        DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
                .location(pathOf(table))
                .comment(table.comment())
                .addColumns(table.schema())
                .property("delta.minReaderVersion", "1")
                .property("delta.minWriterVersion", "2")
                .property("delta.logRetentionDuration", RETENTION)
                .property("delta.deletedFileRetentionDuration", RETENTION);
        if (!table.partitionColumns().isEmpty()) {
            builder = builder.partitionedBy(table.partitionColumns().toArray(String[]::new));
        }
        builder.execute();
        ensured.add(table.name());
    }

    /**
     * Replaces the rows matching {@code predicate} with {@code rows}, in one commit. A column that a
     * newer version of this project added to the table's spec is added to an older table
     * (mergeSchema): rows are conformed to the spec first, so nothing else can be added.
     */
    public void replace(TableSpec table, Dataset<Row> rows, Column predicate) {
        ensureTable(table);
        retrying(table, "replace", () -> conform(table, rows).write().format("delta").mode("overwrite")
                .option("replaceWhere", predicate.expr().sql())
                .option("mergeSchema", "true")
                .save(pathOf(table)));
    }

    public void append(TableSpec table, Dataset<Row> rows) {
        ensureTable(table);
        retrying(table, "append", () -> conform(table, rows).write().format("delta").mode("append").option("mergeSchema", "true")
                .save(pathOf(table)));
    }

    /**
     * Runs {@code write} (one commit) again when Delta refuses its commit because another writer
     * committed a conflicting change to the table since the write read it, up to {@link
     * #WRITE_ATTEMPTS} in all, naming the other writer's operation each time; the last refusal is
     * thrown (the run fails, its writes so far committed, each whole).
     */
    private void retrying(TableSpec table, String what, Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (DeltaConcurrentModificationException e) {
                String other = lastOperation(table);
                if (attempt >= WRITE_ATTEMPTS) {
                    throw new IllegalStateException(table.name() + ": another writer committed " + other + " during each of "
                            + WRITE_ATTEMPTS + " attempts of this run's " + what + " (" + e.getClass().getSimpleName() + ")", e);
                }
                notices.accept("  " + table.name() + ": another writer committed " + other + " during this run's " + what + " ("
                        + e.getClass().getSimpleName() + "); writing again, attempt " + (attempt + 1) + " of " + WRITE_ATTEMPTS);
                try {
                    Thread.sleep(RETRY_PAUSE_MILLIS * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The table's latest commit, as its history names it: operation, version and the run id it carries, if any. */
    private String lastOperation(TableSpec table) {
        try {
            Row last = DeltaTable.forPath(spark, pathOf(table)).history(1).select("version", "operation", "userMetadata").first();
            return last.getString(1) + " (version " + last.getLong(0)
                    + (last.isNullAt(2) ? ", outside any billing run" : ", run " + last.getString(2)) + ")";
        } catch (RuntimeException e) {
            return "a change";
        }
    }

    /** The table's columns, in its order and types: the schema contract at the write. */
    static Dataset<Row> conform(TableSpec table, Dataset<Row> rows) {
        List<String> present = Arrays.asList(rows.columns());
        Column[] columns = Arrays.stream(table.schema().fields())
                .map(f -> conformColumn(table, f, present))
                .toArray(Column[]::new);
        return rows.select(columns);
    }

    private static Column conformColumn(TableSpec table, StructField field, List<String> present) {
        if (!present.contains(field.name())) {
            throw new IllegalStateException("table " + table.name() + ": rows to write have no column " + field.name());
        }
        return col(field.name()).cast(field.dataType()).as(field.name());
    }

    public boolean exists(TableSpec table) {
        return DeltaTable.isDeltaTable(spark, pathOf(table));
    }

    /** The table's rows; an empty table of its schema when it does not exist yet. */
    public Dataset<Row> read(TableSpec table) {
        if (!exists(table)) {
            return spark.createDataFrame(List.of(), table.schema());
        }
        return spark.read().format("delta").load(pathOf(table));
    }

    /**
     * Inserts the rows whose key is not in the table yet; rows already there stay as they are, so
     * merging the same rows twice changes nothing. {@code targetFilter}, on the table's columns,
     * limits the files read.
     */
    public void mergeNew(TableSpec table, Dataset<Row> rows, Column targetFilter) {
        ensureTable(table);
        retrying(table, "merge", () -> DeltaTable.forPath(spark, pathOf(table)).as(TARGET)
                .merge(conform(table, rows).as(SOURCE), keyMatch(table).and(targetFilter))
                .whenNotMatched().insertAll()
                .execute());
    }

    /**
     * Keeps, per key, the earliest row in the order of {@code orderColumns} (compared as one struct:
     * the instant first, then the ties): the same choice a full re-computation makes, whatever the
     * order in which the rows arrive.
     */
    public void mergeEarliest(TableSpec table, Dataset<Row> rows, List<String> orderColumns, Column targetFilter) {
        ensureTable(table);
        Column sourceOrder = struct(orderColumns.stream().map(c -> source(c).as(c)).toArray(Column[]::new));
        Column targetOrder = struct(orderColumns.stream().map(c -> target(c).as(c)).toArray(Column[]::new));
        retrying(table, "merge", () -> DeltaTable.forPath(spark, pathOf(table)).as(TARGET)
                .merge(conform(table, rows).as(SOURCE), keyMatch(table).and(targetFilter))
                .whenMatched(sourceOrder.lt(targetOrder)).updateAll()
                .whenNotMatched().insertAll()
                .execute());
    }

    /** Sets columns of the matching rows, in one commit. */
    public void update(TableSpec table, Column condition, java.util.Map<String, Column> set) {
        if (exists(table)) {
            retrying(table, "update", () -> DeltaTable.forPath(spark, pathOf(table)).update(condition, set));
        }
    }

    /** Deletes the matching rows, in one commit; nothing when the table does not exist. */
    public void delete(TableSpec table, Column condition) {
        if (exists(table)) {
            retrying(table, "delete", () -> DeltaTable.forPath(spark, pathOf(table)).delete(condition));
        }
    }

    /**
     * A month partition (or an unpartitioned table) holding this many files smaller than OPTIMIZE's
     * spark.databricks.delta.optimize.minFileSize (64 MB by our default) is compacted: a month a
     * reprocess wrote in many large files (a 50 M-message month's DARs) has nothing to bin-pack.
     */
    public static final int COMPACT_AT_FILES = 16;

    /**
     * Bin-packs the small files (under spark.databricks.delta.optimize.minFileSize, 64 MB by our
     * default) of each of {@code months} (of the whole table when it is not partitioned by month)
     * holding at least {@link #COMPACT_AT_FILES} such files, in one OPTIMIZE commit per partition. Rows
     * and their values are unchanged; readers of older versions are not disturbed.
     *
     * @return the partitions compacted ("" for a whole table)
     */
    public List<String> compactIfFragmented(TableSpec table, java.util.Collection<String> months) {
        if (!exists(table)) {
            return List.of();
        }
        // One snapshot for the whole check. A partition cannot hold more files than the table: the
        // table's count spares the per-partition counts of a table of few files.
        Snapshot snapshot = snapshot(table);
        // The count from the version's checksum file when there is one (Delta's numOfFilesIfKnown
        // rebuilds the state: a Spark job per table).
        Option<VersionChecksum> checksum = snapshot.checksumOpt();
        if ((checksum.isDefined() ? checksum.get().numFiles() : snapshot.numOfFiles()) < COMPACT_AT_FILES) {
            return List.of();
        }
        boolean byMonth = table.partitionColumns().contains(Columns.BILLING_MONTH);
        Map<String, Long> small = smallFiles(spark, snapshot, byMonth, true);
        List<String> compacted = new java.util.ArrayList<>();
        for (String month : byMonth ? months : List.of("")) {
            if (small.getOrDefault(month, 0L) >= COMPACT_AT_FILES) {
                var optimize = DeltaTable.forPath(spark, pathOf(table)).optimize();
                (byMonth ? optimize.where(inMonth(month).expr().sql()) : optimize).executeCompaction();
                compacted.add(month);
            }
        }
        return compacted;
    }

    /**
     * The number of files under OPTIMIZE's minimum size per billing month ("" for the whole table
     * when not {@code byMonth}). Delta keeps the list of a small table's files (up to 50) in the
     * version's checksum file: read from there, the count takes no Spark job (a state rebuild of
     * 100 tasks, about 3 s of a nightly run, for the 13 tables). Otherwise, or when not
     * {@code fromChecksum}, from the table's state.
     */
    static Map<String, Long> smallFiles(SparkSession spark, Snapshot snapshot, boolean byMonth, boolean fromChecksum) {
        long compactable = (Long) spark.sessionState().conf().getConf(DeltaSQLConf.DELTA_OPTIMIZE_MIN_FILE_SIZE());
        Map<String, Long> counts = new java.util.TreeMap<>();
        Option<VersionChecksum> checksum = snapshot.checksumOpt();
        if (fromChecksum && checksum.isDefined() && checksum.get().allFiles().isDefined()) {
            for (AddFile file : JavaConverters.seqAsJavaList(checksum.get().allFiles().get())) {
                if (file.size() < compactable) {
                    counts.merge(byMonth ? file.partitionValues().apply(Columns.BILLING_MONTH) : "", 1L, Long::sum);
                }
            }
            return counts;
        }
        Column partition = byMonth ? col("partitionValues").getItem(Columns.BILLING_MONTH) : lit("");
        for (Row r : snapshot.allFiles().toDF().where(col("size").lt(lit(compactable))).groupBy(partition.as("p")).count()
                .collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }

    /** The table's current Delta version; -1 when it does not exist. */
    public long version(TableSpec table) {
        if (!exists(table)) {
            return -1;
        }
        return snapshot(table).version();
    }

    /** A metric of the table's last commit (for example numTargetRowsInserted of a MERGE), from its commit file. */
    public long lastCommitMetric(TableSpec table, String metric) {
        Snapshot last = snapshot(table);
        Option<scala.collection.immutable.Map<String, String>> metrics =
                last.deltaLog().history().getHistory(last.version(), Option.apply(last.version())).head().operationMetrics();
        return metrics.isEmpty() ? 0 : metrics.get().get(metric).map(Long::parseLong).getOrElse(() -> 0L);
    }

    /** The table's latest snapshot: its log listed again, no Spark job (the state is computed only when read). */
    Snapshot snapshot(TableSpec table) {
        return DeltaLog.forTable(spark, pathOf(table)).update(false, Option.empty(), Option.empty());
    }

    /** The rows of a table's key equal in the merge's target and source (nulls equal too). */
    private static Column keyMatch(TableSpec table) {
        return table.keyColumns().stream().map(k -> target(k).eqNullSafe(source(k))).reduce(Column::and).orElseThrow();
    }

    /** A column of a merge's target (the table), for {@code targetFilter}. */
    public static Column target(String column) {
        return col(TARGET + "." + column);
    }

    private static Column source(String column) {
        return col(SOURCE + "." + column);
    }

    /** The rows of one billing month. */
    public static Column inMonth(String month) {
        return col(Columns.BILLING_MONTH).equalTo(lit(month));
    }
}
