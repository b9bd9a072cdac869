package com.darbilling.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;

import com.darbilling.contract.Columns;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.storage.Location;
import com.darbilling.tools.SampleInputBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** Comparing whole warehouses, and a small input root. */
public final class Warehouses {
    /** The tables compared: every billing table and the month state (each has a billing_month column). */
    public static final List<TableSpec> COMPARED = List.of(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, OutputTables.CREDIT_USAGE,
            OutputTables.INVOICE_LINES, OutputTables.QUARANTINE, OutputTables.PLAN_SEGMENTS, OutputTables.USAGE_PROJECTIONS,
            StateTables.COBROWSE_SESSIONS, StateTables.FUNCTION_INVOCATIONS, StateTables.PLATFORM_USERS);

    private Warehouses() {
    }

    /**
     * Every billing table of {@code actual} holds the rows of the one in {@code expected}, in any
     * order, with its schema; run ids aside (each run has its own) and raw files named from the
     * input root down (the two warehouses may have read copies of the input in different folders).
     */
    public static void assertSameTables(Path expected, Path actual, String message) {
        assertSameTables(Location.of(expected), Location.of(actual), message);
    }

    /** The same, for warehouses on any store (the input roots too: raw files are named from the table down). */
    public static void assertSameTables(Location expected, Location actual, String message) {
        assertSameTables(expected, actual, message, Map.of());
    }

    /** The same, comparing only the rows of {@code where} (on both sides) for the tables it names. */
    public static void assertSameTables(Location expected, Location actual, String message, Map<TableSpec, Column> where) {
        DeltaWriter expectedTables = new DeltaWriter(TestSpark.session(), expected);
        DeltaWriter actualTables = new DeltaWriter(TestSpark.session(), actual);
        for (TableSpec spec : COMPARED) {
            Column rows = where.getOrDefault(spec, lit(true));
            try {
                DataFrameAssertions.assertSameRows(comparable(expectedTables.read(spec).where(rows)),
                        comparable(actualTables.read(spec).where(rows)));
            } catch (AssertionError e) {
                throw new AssertionError(message + ": " + spec.name() + " differs from " + expected + ": " + e.getMessage(), e);
            }
        }
    }

    private static Dataset<Row> comparable(Dataset<Row> table) {
        Dataset<Row> rows = table.drop(Columns.RUN_ID);
        for (StructField field : rows.schema().fields()) {
            if (field.dataType().equals(DataTypes.StringType)) {
                rows = rows.withColumn(field.name(), regexp_replace(col(field.name()),
                        "[a-z0-9]+:[^,\\]]*/(messages|cobrowse_sessions|function_invocations)/", "$1/"));
            }
        }
        return rows;
    }

    /** The sample's hand-made rows with small bulk rows: the whole sample in seconds. */
    public static Path smallSampleInput(Path tmp) {
        Path source = tmp.resolve("source");
        try {
            FileUtils.copyDirectory(Path.of("data-samples/source").toFile(), source.toFile(), f -> !f.getName().equals("bulk.csv"));
            Files.writeString(source.resolve("bulk.csv"), """
                    table,site_id,count,id_format,consumer_format,sender_role,channel,at
                    messages,s-kolkata,30,k-msg-%06d,c-k%04d,CONSUMER,WEB,2026-10-12T06:00:00Z
                    function_invocations,s-functions,40,inv-f-%06d,,,,2026-10-14T10:00:00Z
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path input = tmp.resolve("input");
        new SampleInputBuilder(TestSpark.session()).build(source, input);
        return input;
    }
}
