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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commands with input and warehouse on local disk, on a real S3 server (S3Proxy) and on a
 * real HDFS (MiniDFSCluster) give the same tables, row for row. On local disk and S3: nightly over
 * a first wave of files, the second wave's nightly killed with SIGKILL once it has planned its
 * batch and finished by the next run, close, a late file into the closed month, a reprocess into
 * invoice version 2. On HDFS: the two waves' nightly runs, uninterrupted, and a reprocess, against
 * local disk's tables after its two waves; so the run finished after the kill is also checked
 * against runs that were not killed. One class, so that local disk's run is made once.
 */
class StorageEqualityTest {
    @TempDir
    static Path tmp;
    private static StorageScenario scenario;
    private static Location local;
    private static Location localAfterTwoWaves;

    @BeforeAll
    static void onLocalDisk() {
        scenario = new StorageScenario(tmp);
        local = Location.of(tmp.resolve("local-warehouse"));
        localAfterTwoWaves = Location.of(tmp.resolve("local-after-two-waves"));
        scenario.nightlyKilledCloseAndNewVersion(tmp.resolve("local-input"), Location.of(tmp.resolve("local-input")), local, List.of(),
                () -> copy(local.localPath(), localAfterTwoWaves.localPath()));
    }

    private static void copy(Path from, Path to) {
        try {
            FileUtils.copyDirectory(from.toFile(), to.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void onS3TheTablesOfLocalDisk() {
        S3Server s3 = S3Server.shared();
        s3.configure(TestSpark.session().sparkContext().hadoopConfiguration());
        String bucket = s3.newBucket("equality");
        Location warehouse = Location.of("s3a://" + bucket + "/warehouse");
        scenario.nightlyKilledCloseAndNewVersion(tmp.resolve("s3-staging"), Location.of("s3a://" + bucket + "/input"), warehouse,
                s3.confArguments(), () -> { });
        assertSameTables(local, warehouse, "S3 against local disk");
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), warehouse);
        assertTrue(tables.read(OutputTables.INVOICE_LINES).where(col("invoice_version").equalTo(2)).count() > 0,
                "the reprocess after the close wrote version 2");
        assertTrue(tables.read(OutputTables.QUARANTINE).where(col("input_file").startsWith("s3a://" + bucket + "/input/")).count() > 0,
                "raw files are named by their URI on the store");
    }

    @Test
    void onHdfsTheTablesOfLocalDisk() {
        String root = Hdfs.root();
        Location warehouse = Location.of(root + "/equality/warehouse");
        scenario.twoNightlyWavesAndReprocess(tmp.resolve("hdfs-staging"), Location.of(root + "/equality/input"), warehouse);
        assertSameTables(localAfterTwoWaves, warehouse, "HDFS against local disk");
        assertTrue(new DeltaWriter(TestSpark.session(), warehouse).read(OutputTables.QUARANTINE)
                .where(col("input_file").startsWith(root + "/equality/input/")).count() > 0, "raw files are named by their URI on the store");
    }
}
