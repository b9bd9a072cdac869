package com.darbilling.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaWriterTest {
    private final SparkSession spark = TestSpark.session();

    /**
     * Appends (the runs record) are compacted once a partition holds minNumFiles small files (Delta's
     * default 50; 4 here).
     */
    @Test
    void smallFilesOfAPartitionAreCompactedAfterTheCommit(@TempDir Path warehouse) {
        DeltaWriter writer = new DeltaWriter(spark, warehouse);
        TableSpec table = StateTables.PLATFORM_USERS;
        String key = "spark.databricks.delta.autoCompact.minNumFiles";
        spark.conf().set(key, "4");
        try {
            for (int i = 1; i <= 3; i++) {
                writer.append(table, oneUser("agent-" + i));
            }
            assertEquals(3, filesOf(writer, table), "three appends of one row: three files, below the threshold");
            writer.append(table, oneUser("agent-4"));
            assertEquals(1, filesOf(writer, table), "the fourth small file triggers the compaction into one file");
            assertEquals(4, writer.read(table).count());
        } finally {
            spark.conf().unset(key);
        }
    }

    /** A replace or merge (what nightly and reprocess do) leaves no two small files in the partition it wrote. */
    @Test
    void aReplaceThatWritesSmallFilesIsCompacted(@TempDir Path warehouse) {
        DeltaWriter writer = new DeltaWriter(spark, warehouse);
        TableSpec table = StateTables.PLATFORM_USERS;
        Dataset<Row> twoFiles = spark.createDataFrame(List.of(RowFactory.create("site-a", "2026-10", "agent-1"),
                RowFactory.create("site-a", "2026-10", "agent-2")), table.schema()).repartition(2);
        writer.replace(table, twoFiles, "billing_month = '2026-10'");
        assertEquals(1, filesOf(writer, table), "two one-row files rewritten as one");
        assertEquals(2, writer.read(table).count());
    }

    private Dataset<Row> oneUser(String sender) {
        return spark.createDataFrame(List.of(RowFactory.create("site-a", "2026-10", sender)),
                StateTables.PLATFORM_USERS.schema()).coalesce(1);
    }

    private static long filesOf(DeltaWriter writer, TableSpec table) {
        return writer.read(table).where("billing_month = '2026-10'").inputFiles().length;
    }
}
