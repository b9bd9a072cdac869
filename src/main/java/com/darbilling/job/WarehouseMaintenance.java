package com.darbilling.job;

import static org.apache.spark.sql.functions.col;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.run.Refusal;
import com.darbilling.run.RunRecord;
import com.darbilling.run.Runs;
import com.darbilling.storage.Location;
import com.darbilling.storage.Stores;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;

/**
 * The maintain command: under the warehouse lock, for every Delta table of the warehouse (the
 * public ones and the job's state), compacts small files, writes a checkpoint and removes the files
 * no version within the retention reads (VACUUM, Delta's own retention check left on), printing what
 * it did. Rows never change: invoice history is in rows (invoice_version), not in old table versions;
 * time travel reaches back only as far as the retention.
 */
public final class WarehouseMaintenance {
    /** The retention the tables are created with (DeltaWriter.RETENTION): a year of disputes and a month's close. */
    public static final int DEFAULT_RETAIN_DAYS = 400;
    /**
     * The shortest retention maintain accepts: Delta's own default. A run or a reader may hold a
     * table version for hours; a shorter retention could remove files it still reads. (System
     * property billing.maintain.minRetainDays, for tests.)
     */
    public static int minRetainDays() {
        return Integer.getInteger("billing.maintain.minRetainDays", 7);
    }

    private static final String FILE_RETENTION = "delta.deletedFileRetentionDuration";

    private final SparkSession spark;
    private final DeltaWriter writer;
    private final Runs runs;
    private final PrintStream out;
    private final Clock clock;

    public WarehouseMaintenance(SparkSession spark, Location warehouse, PrintStream out) {
        this(spark, new DeltaWriter(spark, warehouse), out, Clock.systemUTC());
    }

    WarehouseMaintenance(SparkSession spark, DeltaWriter writer, PrintStream out, Clock clock) {
        this.spark = spark;
        this.writer = writer.noticesTo(out::println);
        this.runs = new Runs(spark, writer, out);
        this.out = out;
        this.clock = clock;
    }

    /** What maintain did to one table. */
    public record TableResult(String table, long filesCompacted, long filesWritten, long checkpointVersion, long filesRemoved,
                              long bytesRemoved) {
    }

    /**
     * Maintains every table with a retention of {@code retainDays}: a table whose file retention is
     * another one gets this one first (a table property, one commit), so Delta's check of VACUUM's
     * retention against the table's passes without being turned off.
     */
    public List<TableResult> maintain(int retainDays, String arguments) {
        if (retainDays < minRetainDays()) {
            throw Refusal.cannotRun("maintain refused, nothing written: --retain " + retainDays + " is below the minimum of "
                    + minRetainDays() + " days (a run or a reader may still read files that old)");
        }
        if (!writer.exists(OutputTables.RUNS)) {
            throw Refusal.cannotRun("maintain refused, nothing written: no warehouse at " + writer.warehouse()
                    + " (no runs table); check --warehouse");
        }
        List<TableResult> results = new ArrayList<>();
        // VACUUM records what it removed in two commits of its own (VACUUM START, VACUUM END); and it lists a table's
        // folders in as many tasks as Spark's partition discovery allows (10,000 by default: minutes per table on 2 cores).
        Map<String, String> settings = Map.of("spark.databricks.delta.vacuum.logging.enabled", "true",
                "spark.sql.sources.parallelPartitionDiscovery.parallelism",
                String.valueOf(Math.max(8, 4 * spark.sparkContext().defaultParallelism())));
        Map<String, Option<String>> before = new TreeMap<>();
        settings.forEach((k, v) -> {
            before.put(k, spark.conf().getOption(k));
            spark.conf().set(k, v);
        });
        try {
            maintainTables(retainDays, arguments, results);
        } finally {
            before.forEach((k, v) -> {
                if (v.isDefined()) {
                    spark.conf().set(k, v.get());
                } else {
                    spark.conf().unset(k);
                }
            });
        }
        return results;
    }

    private void maintainTables(int retainDays, String arguments, List<TableResult> results) {
        runs.locked(new RunRecord("maintain", arguments, clock, Optional.empty()), r -> {
            for (String table : tables()) {
                results.add(maintainTable(table, retainDays));
            }
            long compacted = results.stream().mapToLong(TableResult::filesCompacted).sum();
            long written = results.stream().mapToLong(TableResult::filesWritten).sum();
            long removed = results.stream().mapToLong(TableResult::filesRemoved).sum();
            long bytes = results.stream().mapToLong(TableResult::bytesRemoved).sum();
            out.println("maintain: " + results.size() + " tables; compacted " + compacted + " small files into " + written
                    + "; removed " + removed + " files (" + megabytes(bytes) + ") no version of the last " + retainDays
                    + " days reads; time travel reaches back " + retainDays + " days");
        });
    }

    private TableResult maintainTable(String path, int retainDays) {
        String name = writer.warehouse().path().toUri().relativize(new Path(path).toUri()).getPath();
        DeltaTable table = DeltaTable.forPath(spark, path);
        Row compaction = table.optimize().executeCompaction().select("metrics.numFilesRemoved", "metrics.numFilesAdded").first();
        long compacted = compaction.getLong(0);
        long written = compaction.getLong(1);
        Snapshot snapshot = DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
        String retention = "interval " + retainDays + " days";
        if (!retention.equals(snapshot.metadata().configuration().get(FILE_RETENTION).getOrElse(() -> ""))) {
            spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES ('" + FILE_RETENTION + "' = '" + retention + "')");
        }
        DeltaLog log = DeltaLog.forTable(spark, path);
        Snapshot latest = log.update(false, scala.Option.empty(), scala.Option.empty());
        log.checkpoint(latest, scala.Option.empty());
        spark.sql("VACUUM delta.`" + path + "` RETAIN " + retainDays * 24L + " HOURS").collect();
        // What VACUUM removed, from its own commits (VACUUM START: the files and bytes to delete, VACUUM END: deleted).
        Map<String, Long> started = vacuumMetrics(path, "VACUUM START");
        Map<String, Long> ended = vacuumMetrics(path, "VACUUM END");
        long removed = ended.getOrDefault("numDeletedFiles", 0L);
        long bytes = started.getOrDefault("sizeOfDataToDelete", 0L);
        TableResult result = new TableResult(name, compacted, written, latest.version(), removed, bytes);
        out.println("  " + name + ": compacted " + compacted + " small files into " + written + "; checkpoint at version "
                + latest.version() + "; removed " + removed + " files (" + megabytes(bytes) + ")");
        return result;
    }

    /** The warehouse's Delta tables: its folders and those of _billing_state holding a _delta_log, in name order. */
    private List<String> tables() {
        try {
            FileSystem fs = Stores.fileSystem(writer.warehouse(), spark.sparkContext().hadoopConfiguration());
            List<String> tables = new ArrayList<>();
            for (Path parent : List.of(writer.warehouse().path(), writer.warehouse().resolve(StateTables.DIRECTORY).path())) {
                if (!fs.exists(parent)) {
                    continue;
                }
                for (FileStatus child : fs.listStatus(parent)) {
                    if (child.isDirectory() && fs.exists(new Path(child.getPath(), "_delta_log"))) {
                        tables.add(child.getPath().toString());
                    }
                }
            }
            tables.sort(null);
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operation metrics of the table's latest commit of {@code operation} (VACUUM START or END), as numbers. */
    private Map<String, Long> vacuumMetrics(String path, String operation) {
        List<Row> commits = DeltaTable.forPath(spark, path).history(2).where(col("operation").equalTo(operation))
                .select("operationMetrics").collectAsList();
        Map<String, Long> metrics = new TreeMap<>();
        if (!commits.isEmpty() && !commits.get(0).isNullAt(0)) {
            commits.get(0).<String, String>getJavaMap(0).forEach((k, v) -> metrics.put(k, Long.parseLong(v)));
        }
        return metrics;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
