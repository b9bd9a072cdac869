package com.darbilling.output;

import static com.darbilling.testing.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.storage.Location;
import com.darbilling.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaWriterTest {
    private final SparkSession spark = TestSpark.session();

    /** Nightly runs add a file or two per month partition a night; 16 files in a month are compacted, other months not. */
    @Test
    void aMonthPartitionOfSixteenFilesIsCompactedAndItsRowsKept(@TempDir Path warehouse) {
        DeltaWriter writer = new DeltaWriter(spark, Location.of(warehouse));
        TableSpec table = StateTables.PLATFORM_USERS;
        writer.append(table, oneUser("2026-09", "agent-0"));
        writer.append(table, oneUser("2026-09", "agent-00"));
        for (int i = 1; i <= 15; i++) {
            writer.append(table, oneUser("2026-10", "agent-" + i));
        }
        assertEquals(List.of(), writer.compactIfFragmented(table, List.of("2026-09", "2026-10")), "15 files: left alone");
        assertEquals(15, filesOf(writer, table, "2026-10"));

        writer.append(table, oneUser("2026-10", "agent-16"));
        // The small files per month, from the checksum Delta wrote with the version (its file list,
        // kept for tables of up to 50 files) and from the table's state: the same counts.
        var snapshot = writer.snapshot(table);
        assertTrue(snapshot.checksumOpt().get().allFiles().isDefined(), "the version's checksum lists the table's files");
        assertEquals(Map.of("2026-09", 2L, "2026-10", 16L), DeltaWriter.smallFiles(spark, snapshot, true, true));
        assertEquals(Map.of("2026-09", 2L, "2026-10", 16L), DeltaWriter.smallFiles(spark, snapshot, true, false));
        assertEquals(Map.of("", 18L), DeltaWriter.smallFiles(spark, snapshot, false, true));
        // Only files under OPTIMIZE's minimum size count: at 1 byte none of the 16 is small (a large
        // month a reprocess wrote in many big files), so the month is left as it is.
        withMinimumFileSize("1", () -> assertEquals(List.of(), writer.compactIfFragmented(table, List.of("2026-09", "2026-10"))));
        assertEquals(16, filesOf(writer, table, "2026-10"));
        assertEquals(List.of("2026-10"), writer.compactIfFragmented(table, List.of("2026-09", "2026-10")));
        assertEquals(1, filesOf(writer, table, "2026-10"), "16 one-row files bin-packed into one");
        assertEquals(2, filesOf(writer, table, "2026-09"), "a month below the threshold is not rewritten");
        assertEquals(16, writer.read(table).where("billing_month = '2026-10'").count());
        assertEquals(18, writer.read(table).count());
    }

    /** A table written by an older version of the job gains the columns its spec added since (runs.as_of), rows kept. */
    @Test
    void aColumnAddedToTheSpecIsAddedToAnOlderTable(@TempDir Path warehouse) {
        TableSpec current = StateTables.PLATFORM_USERS;
        TableSpec older = new TableSpec(current.name(), current.comment(),
                new StructType(java.util.Arrays.copyOf(current.schema().fields(), 2)),
                current.partitionColumns(), List.of("site_id"));
        DeltaWriter writer = new DeltaWriter(spark, Location.of(warehouse));
        writer.append(older, spark.createDataFrame(List.of(RowFactory.create("site-a", "2026-10")), older.schema()));

        writer.append(current, oneUser("2026-10", "agent-1"));

        assertEquals(List.of("site_id", "billing_month", "sender_id"), List.of(writer.read(current).columns()));
        // The added column is nullable in the table: the older rows have no value for it. Column comments aside.
        StructType evolved = new StructType().add("site_id", "string", false).add("billing_month", "string", false)
                .add("sender_id", "string", true);
        assertSameRows(spark.createDataFrame(List.of(RowFactory.create("site-a", "2026-10", null),
                RowFactory.create("site-a", "2026-10", "agent-1")), evolved), withoutComments(writer.read(current)));
    }

    private Dataset<Row> withoutComments(Dataset<Row> table) {
        StructType plain = new StructType(java.util.Arrays.stream(table.schema().fields())
                .map(f -> new StructField(f.name(), f.dataType(), f.nullable(), Metadata.empty())).toArray(StructField[]::new));
        return spark.createDataFrame(table.javaRDD(), plain);
    }

    private void withMinimumFileSize(String bytes, Runnable check) {
        String key = "spark.databricks.delta.optimize.minFileSize";
        String before = spark.conf().get(key, null);
        spark.conf().set(key, bytes);
        try {
            check.run();
        } finally {
            if (before == null) {
                spark.conf().unset(key);
            } else {
                spark.conf().set(key, before);
            }
        }
    }

    private Dataset<Row> oneUser(String month, String sender) {
        return spark.createDataFrame(List.of(RowFactory.create("site-a", month, sender)), StateTables.PLATFORM_USERS.schema()).coalesce(1);
    }

    private static long filesOf(DeltaWriter writer, TableSpec table, String month) {
        return writer.read(table).where("billing_month = '" + month + "'").inputFiles().length;
    }
}
