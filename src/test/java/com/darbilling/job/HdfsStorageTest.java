package com.darbilling.job;

import static com.darbilling.testing.Warehouses.assertSameTables;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Hdfs;
import com.darbilling.testing.TestSpark;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input and warehouse on a real HDFS (MiniDFSCluster): the tables of local disk, and one writer. */
class HdfsStorageTest {
    @TempDir
    static Path tmp;
    private static StorageScenario scenario;
    private static String root;
    private static Configuration hadoop;

    @BeforeAll
    static void startCluster() {
        root = Hdfs.root();
        hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
        scenario = new StorageScenario(tmp);
    }

    private static Location hdfs(String path) {
        return Location.of(root + "/billing/" + path);
    }

    @Test
    void nightlyWavesCloseAndANewVersionOnHdfsGiveTheTablesOfLocalDisk() {
        Location local = Location.of(tmp.resolve("local-warehouse"));
        scenario.nightlyCloseAndNewVersion(tmp.resolve("local-input"), Location.of(tmp.resolve("local-input")), local);
        Location warehouse = hdfs("warehouse");
        scenario.nightlyCloseAndNewVersion(tmp.resolve("hdfs-staging"), hdfs("input"), warehouse);

        assertSameTables(local, warehouse, "HDFS against local disk");
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), warehouse);
        assertTrue(tables.read(OutputTables.INVOICE_LINES).where(col("invoice_version").equalTo(2)).count() > 0);
        assertTrue(tables.read(OutputTables.QUARANTINE).where(col("input_file").startsWith(root + "/billing/input/")).count() > 0,
                "raw files are named by their hdfs:// URI");
    }

    @Test
    void aSecondWriterOnHdfsIsRefusedNamingTheRunningOne() {
        Location input = hdfs("input-locked");
        StorageScenario.upload(scenario.sample, input);
        Location warehouse = hdfs("locked");
        try (WarehouseLock held = WarehouseLock.acquire(warehouse, hadoop, "run-42", "reprocess")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> StorageScenario.commands(input, warehouse).nightly("second"));
            assertTrue(e.getMessage().startsWith("another run is writing this warehouse: run run-42 (reprocess)"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> WarehouseLock.acquire(warehouse, hadoop, "run-43", "close"));
        }
        WarehouseLock.acquire(warehouse, hadoop, "run-44", "close").close();
        assertEquals(0, new DeltaWriter(TestSpark.session(), warehouse).read(OutputTables.RUNS).count(), "the refused run wrote nothing");
    }
}
