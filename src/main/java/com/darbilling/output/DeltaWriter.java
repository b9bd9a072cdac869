package com.darbilling.output;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The one place that writes the warehouse. Each write is one Delta commit: a month is replaced
 * atomically (replaceWhere), never half-written. Tables keep reader protocol 1 and writer protocol 2
 * (column comments and NOT NULL invariants only) so DuckDB, Trino and delta-rs can read them.
 */
public final class DeltaWriter {
    /** Time travel and audit: how long old table versions and their files are kept. */
    public static final String RETENTION = "interval 400 days";

    private final SparkSession spark;
    private final Path warehouse;

    public DeltaWriter(SparkSession spark, Path warehouse) {
        this.spark = spark;
        this.warehouse = warehouse;
    }

    public String pathOf(TableSpec table) {
        return warehouse.resolve(table.name()).toString();
    }

    /** Creates the table with its comments, layout and properties if it does not exist yet. */
    public void ensureTable(TableSpec table) {
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
    }

    /** Replaces the rows matching {@code predicate} with {@code rows}, in one commit. */
    public void replace(TableSpec table, Dataset<Row> rows, String predicate) {
        ensureTable(table);
        conform(table, rows).write().format("delta").mode("overwrite")
                .option("replaceWhere", predicate)
                .save(pathOf(table));
    }

    public void append(TableSpec table, Dataset<Row> rows) {
        ensureTable(table);
        conform(table, rows).write().format("delta").mode("append").save(pathOf(table));
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

    public static String monthPredicate(String month) {
        return OutputTables.BILLING_MONTH + " = '" + month + "'";
    }
}
