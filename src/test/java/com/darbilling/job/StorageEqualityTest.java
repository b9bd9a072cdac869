package com.darbilling.job;

import static com.darbilling.testing.Warehouses.assertSameTables;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.storage.Location;
import com.darbilling.testing.Hdfs;
import com.darbilling.testing.S3Server;
import com.darbilling.testing.TestSpark;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commands (nightly over two waves with a late file, close, a late file into the closed
 * month, a reprocess into invoice version 2) with input and warehouse on a real S3 server
 * (S3Proxy) and on a real HDFS (MiniDFSCluster) give every table of local disk, row for row. One
 * class, so that local disk's run is made once for both stores.
 */
class StorageEqualityTest {
    @TempDir
    static Path tmp;
    private static StorageScenario scenario;
    private static Location local;

    @BeforeAll
    static void onLocalDisk() {
        scenario = new StorageScenario(tmp);
        local = Location.of(tmp.resolve("local-warehouse"));
        scenario.nightlyCloseAndNewVersion(tmp.resolve("local-input"), Location.of(tmp.resolve("local-input")), local);
    }

    private static void assertVersionTwoAndNames(Location warehouse, String inputRoot) {
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), warehouse);
        assertTrue(tables.read(OutputTables.INVOICE_LINES).where(col("invoice_version").equalTo(2)).count() > 0,
                "the reprocess after the close wrote version 2");
        assertTrue(tables.read(OutputTables.QUARANTINE).where(col("input_file").startsWith(inputRoot + "/")).count() > 0,
                "raw files are named by their URI on the store: " + inputRoot);
    }

    @Test
    void onS3TheTablesOfLocalDisk() {
        S3Server s3 = S3Server.shared();
        s3.configure(TestSpark.session().sparkContext().hadoopConfiguration());
        String bucket = s3.newBucket("equality");
        Location warehouse = Location.of("s3a://" + bucket + "/warehouse");
        scenario.nightlyCloseAndNewVersion(tmp.resolve("s3-staging"), Location.of("s3a://" + bucket + "/input"), warehouse);
        assertSameTables(local, warehouse, "S3 against local disk");
        assertVersionTwoAndNames(warehouse, "s3a://" + bucket + "/input");
    }

    @Test
    void onHdfsTheTablesOfLocalDisk() {
        String root = Hdfs.root();
        Location warehouse = Location.of(root + "/equality/warehouse");
        scenario.nightlyCloseAndNewVersion(tmp.resolve("hdfs-staging"), Location.of(root + "/equality/input"), warehouse);
        assertSameTables(local, warehouse, "HDFS against local disk");
        assertVersionTwoAndNames(warehouse, root + "/equality/input");
    }
}
