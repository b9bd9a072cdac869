package com.darbilling.input;

import static com.darbilling.contract.Columns.INPUT_FILE;
import static org.apache.spark.sql.functions.col;

import com.darbilling.contract.Inputs;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.storage.InputFiles;
import com.darbilling.storage.Location;
import com.darbilling.zone.SiteZones;
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
public class InputReader {
    private final SparkSession spark;
    private final Location root;
    private final InputFiles files;

    /** An input root on any store of the session's Hadoop configuration. */
    public InputReader(SparkSession spark, Location root) {
        this.spark = spark;
        this.root = root;
        this.files = new InputFiles(spark.sparkContext().hadoopConfiguration());
        checkLayout(root, files);
    }

    public Location root() {
        return root;
    }

    /**
     * Fails unless {@code root} is a directory holding the five input tables' directories. On an
     * object store a directory is a prefix: it exists when an object lies under it.
     */
    public static void checkLayout(Location root, InputFiles files) {
        if (!files.isDirectory(root)) {
            throw new IllegalArgumentException("input root " + root + " does not exist or is not a directory");
        }
        for (String table : List.of(Inputs.MESSAGES, Inputs.SITES, Inputs.SITE_PLANS, Inputs.COBROWSE_SESSIONS,
                Inputs.FUNCTION_INVOCATIONS)) {
            if (!files.isDirectory(root.resolve(table))) {
                throw new IllegalArgumentException("input root " + root + " has no " + table + "/ directory");
            }
        }
    }

    /**
     * The files of an event table that a month's run reads: of a partitioned table, those of the
     * {@code event_date} partitions from {@code firstUtcDate} to {@code lastUtcDate} inclusive; of
     * the others, every file. Empty files are listed too: the caller reports them.
     */
    public List<RawFile> listFiles(EventSource source, LocalDate firstUtcDate, LocalDate lastUtcDate) {
        Location dir = root.resolve(source.table());
        if (!source.partitionedByEventDate()) {
            return walk(source, dir);
        }
        List<RawFile> files = new ArrayList<>();
        for (LocalDate d = firstUtcDate; !d.isAfter(lastUtcDate); d = d.plusDays(1)) {
            files.addAll(walk(source, dir.resolve(Inputs.EVENT_DATE + "=" + d)));
        }
        return files;
    }

    /**
     * The data files of a table partitioned by event_date that lie outside its {@code event_date=}
     * folders: nightly lists them with every file, and a month's run lists them too, so that both
     * judge them alike (RawFileCheck sets them aside).
     */
    public List<RawFile> filesOutsidePartitions(EventSource source) {
        if (!source.partitionedByEventDate()) {
            return List.of();
        }
        return allFiles(source).stream().filter(f -> f.eventDate().isEmpty()).toList();
    }

    /** Rows of the given files of an event table, with the file each row came from. */
    public Dataset<Row> files(EventSource source, List<String> paths) {
        if (paths.isEmpty()) {
            return spark.createDataFrame(List.of(), emptySchema(source));
        }
        String[] readable = paths.stream().map(RawFile::readable).toArray(String[]::new);
        Dataset<Row> raw = source.partitionedByEventDate()
                ? spark.read().option("basePath", root.resolve(source.table()).forSpark()).parquet(readable)
                : spark.read().parquet(readable);
        return raw.select(withFile(withEventDate(source, conform(source.table(), raw.schema(), source.schema()))));
    }

    /** Every data file of an event table: path (as Spark names it), size and modification time, sorted by path. */
    public List<RawFile> allFiles(EventSource source) {
        return walk(source, root.resolve(source.table()));
    }

    /** The data files of one UTC date's partition of a table partitioned by event_date. */
    public List<RawFile> filesOfDate(EventSource source, LocalDate utcDate) {
        if (!source.partitionedByEventDate()) {
            throw new IllegalArgumentException(source.table() + " is not partitioned by " + Inputs.EVENT_DATE);
        }
        return walk(source, root.resolve(source.table()).resolve(Inputs.EVENT_DATE + "=" + utcDate));
    }

    private List<RawFile> walk(EventSource source, Location dir) {
        return files.dataFiles(dir).stream().map(f -> new RawFile(source, RawFile.nameOf(f.file()), f.size(), f.modifiedAt()))
                .sorted(java.util.Comparator.comparing(RawFile::path)).toList();
    }

    /**
     * Rows of the files {@link #listFiles(EventSource, LocalDate, LocalDate)} gives. Empty files are
     * left out: they hold no rows, and Spark cannot read them (the caller reports them).
     */
    public Dataset<Row> events(EventSource source, LocalDate firstUtcDate, LocalDate lastUtcDate) {
        return files(source, listFiles(source, firstUtcDate, lastUtcDate).stream().filter(f -> f.size() > 0).map(RawFile::path).toList());
    }

    /** The columns and the raw file of each row, from the file source's metadata column. */
    private static Column[] withFile(Column[] columns) {
        Column[] out = java.util.Arrays.copyOf(columns, columns.length + 1);
        out[columns.length] = RawFile.nameOf(col("_metadata.file_path")).as(INPUT_FILE);
        return out;
    }

    private static StructType emptySchema(EventSource source) {
        StructType schema = source.partitionedByEventDate() ? source.schema().add(Inputs.EVENT_DATE, DataTypes.DateType) : source.schema();
        return schema.add(INPUT_FILE, DataTypes.StringType);
    }

    private static Column[] withEventDate(EventSource source, Column[] columns) {
        if (!source.partitionedByEventDate()) {
            return columns;
        }
        Column[] out = java.util.Arrays.copyOf(columns, columns.length + 1);
        out[columns.length] = col(Inputs.EVENT_DATE).cast(DataTypes.DateType).as(Inputs.EVENT_DATE);
        return out;
    }

    /** A whole reference table; a directory without data files reads as an empty table. */
    private Dataset<Row> read(ReferenceTable table) {
        Location dir = root.resolve(table.table());
        if (!files.holdsFileEndingWith(dir, ".parquet")) {
            return spark.createDataFrame(List.of(), table.schema());
        }
        Dataset<Row> raw = spark.read().parquet(dir.forSpark());
        return raw.select(conform(table.table(), raw.schema(), table.schema()));
    }

    /** The sites table, collected: it is small reference data. */
    public List<SiteZones.ZoneRow> zoneRows() {
        return read(ReferenceTable.SITES).collectAsList().stream()
                .map(r -> new SiteZones.ZoneRow(r.getString(0), r.getString(1), (Instant) r.get(2)))
                .toList();
    }

    /** The site_plans table, collected and grouped by site. */
    public Map<String, List<PlanAssignment>> planAssignments() {
        List<PlanAssignment> rows = read(ReferenceTable.SITE_PLANS).collectAsList().stream()
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

    /**
     * The contract columns of {@code raw}, in the contract's types. Two conversions are safe and
     * done: an integral id becomes its decimal text, and a TIMESTAMP_NTZ is read as a UTC wall clock.
     * Anything else that differs fails, naming the table, the column, the type expected and found.
     */
    static Column[] conform(String table, StructType found, StructType expected) {
        List<Column> columns = new ArrayList<>();
        for (StructField field : expected.fields()) {
            if (!List.of(found.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("input " + table + ": column " + field.name() + " is missing (expected "
                        + field.dataType().simpleString() + ")");
            }
            DataType actual = found.apply(field.name()).dataType();
            Column column = col(field.name());
            if (actual.equals(field.dataType())) {
                columns.add(column);
            } else if (field.dataType().equals(DataTypes.StringType) && isIntegral(actual)) {
                columns.add(column.cast(DataTypes.StringType).as(field.name()));
            } else if (field.dataType().equals(DataTypes.TimestampType) && actual.equals(DataTypes.TimestampNTZType)) {
                // The session zone is UTC, so the cast reads the wall clock as UTC.
                columns.add(column.cast(DataTypes.TimestampType).as(field.name()));
            } else {
                throw new IllegalArgumentException("input " + table + ": column " + field.name() + " has type "
                        + actual.simpleString() + ", expected " + field.dataType().simpleString());
            }
        }
        return columns.toArray(Column[]::new);
    }

    private static boolean isIntegral(DataType type) {
        return type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType) || type.equals(DataTypes.ShortType)
                || type.equals(DataTypes.ByteType);
    }
}
