package com.darbilling.input;

import static org.apache.spark.sql.functions.col;

import com.darbilling.contract.Inputs;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.zone.SiteZones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one place that reads the input root. Every read ends in a select of the contract columns, so
 * extra columns are ignored and a missing or mistyped column stops the run before anything is written.
 */
public final class InputReader {
    private final SparkSession spark;
    private final Path root;

    public InputReader(SparkSession spark, Path root) {
        this.spark = spark;
        this.root = root;
        checkLayout(root);
    }

    /** Fails unless {@code root} is a directory holding the five input tables' directories. */
    public static void checkLayout(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("input root " + root + " does not exist or is not a directory");
        }
        for (String table : List.of(Inputs.MESSAGES, Inputs.SITES, Inputs.SITE_PLANS, Inputs.COBROWSE_SESSIONS,
                Inputs.FUNCTION_INVOCATIONS)) {
            if (!Files.isDirectory(root.resolve(table))) {
                throw new IllegalArgumentException("input root " + root + " has no " + table + "/ directory");
            }
        }
    }

    /**
     * Rows of an event table. A partitioned table is read only in the {@code event_date} partitions
     * from {@code firstUtcDate} to {@code lastUtcDate} inclusive; the others are read whole.
     */
    public Dataset<Row> events(EventSource source, LocalDate firstUtcDate, LocalDate lastUtcDate) {
        Path dir = root.resolve(source.table());
        List<Column> select = new ArrayList<>();
        source.columns().forEach(c -> select.add(col(c)));
        if (!source.partitionedByEventDate()) {
            Dataset<Row> raw = spark.read().parquet(dir.toString());
            checkColumns(source.table(), raw.schema(), source.schema());
            return raw.select(select.toArray(Column[]::new));
        }
        List<String> partitions = new ArrayList<>();
        for (LocalDate d = firstUtcDate; !d.isAfter(lastUtcDate); d = d.plusDays(1)) {
            Path partition = dir.resolve(Inputs.EVENT_DATE + "=" + d);
            if (Files.isDirectory(partition)) {
                partitions.add(partition.toString());
            }
        }
        select.add(col(Inputs.EVENT_DATE).cast(DataTypes.DateType).as(Inputs.EVENT_DATE));
        if (partitions.isEmpty()) {
            StructType empty = source.schema().add(Inputs.EVENT_DATE, DataTypes.DateType);
            return spark.createDataFrame(List.of(), empty);
        }
        Dataset<Row> raw = spark.read().option("basePath", dir.toString()).parquet(partitions.toArray(String[]::new));
        checkColumns(source.table(), raw.schema(), source.schema());
        return raw.select(select.toArray(Column[]::new));
    }

    /** The sites table, collected: it is small reference data. */
    public List<SiteZones.ZoneRow> zoneRows() {
        StructType expected = new StructType()
                .add(Inputs.SITE_ID, DataTypes.StringType)
                .add(Inputs.TIME_ZONE, DataTypes.StringType)
                .add(Inputs.EFFECTIVE_FROM, DataTypes.TimestampType);
        Dataset<Row> raw = spark.read().parquet(root.resolve(Inputs.SITES).toString());
        checkColumns(Inputs.SITES, raw.schema(), expected);
        return raw.select(Inputs.SITE_ID, Inputs.TIME_ZONE, Inputs.EFFECTIVE_FROM).collectAsList().stream()
                .map(r -> new SiteZones.ZoneRow(r.getString(0), r.getString(1), (Instant) r.get(2)))
                .toList();
    }

    /** The site_plans table, collected and grouped by site. */
    public Map<String, List<PlanAssignment>> planAssignments() {
        StructType expected = new StructType()
                .add(Inputs.SITE_ID, DataTypes.StringType)
                .add(Inputs.PLAN_ID, DataTypes.StringType)
                .add(Inputs.EFFECTIVE_FROM, DataTypes.DateType)
                .add(Inputs.EFFECTIVE_TO, DataTypes.DateType)
                .add(Inputs.INTENT_MANAGER, DataTypes.BooleanType);
        Dataset<Row> raw = spark.read().parquet(root.resolve(Inputs.SITE_PLANS).toString());
        checkColumns(Inputs.SITE_PLANS, raw.schema(), expected);
        List<PlanAssignment> rows = raw.select(Inputs.SITE_ID, Inputs.PLAN_ID, Inputs.EFFECTIVE_FROM, Inputs.EFFECTIVE_TO,
                        Inputs.INTENT_MANAGER).collectAsList().stream()
                .map(InputReader::toAssignment)
                .toList();
        return rows.stream().collect(Collectors.groupingBy(PlanAssignment::siteId));
    }

    private static PlanAssignment toAssignment(Row r) {
        if (r.isNullAt(0) || r.getString(0).isBlank() || r.isNullAt(1) || r.getString(1).isBlank()) {
            throw new IllegalArgumentException("site_plans: a row has no site_id or plan_id: " + r);
        }
        boolean intentManager = !r.isNullAt(4) && r.getBoolean(4);
        return new PlanAssignment(r.getString(0), r.getString(1), (LocalDate) r.get(2), (LocalDate) r.get(3), intentManager);
    }

    /** Fails naming the table, the column, the type expected and the type found. */
    static void checkColumns(String table, StructType found, StructType expected) {
        for (StructField field : expected.fields()) {
            if (!List.of(found.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("input " + table + ": column " + field.name() + " is missing (expected "
                        + field.dataType().simpleString() + ")");
            }
            DataType actual = found.apply(field.name()).dataType();
            if (!actual.equals(field.dataType())) {
                throw new IllegalArgumentException("input " + table + ": column " + field.name() + " has type "
                        + actual.simpleString() + ", expected " + field.dataType().simpleString());
            }
        }
    }

    public Path root() {
        return root;
    }
}
