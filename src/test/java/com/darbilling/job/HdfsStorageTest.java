package com.darbilling.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.Hdfs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per warehouse on a real HDFS (MiniDFSCluster); StorageEqualityTest compares the tables with local disk's. */
class HdfsStorageTest {
    @TempDir
    static Path tmp;
    private static String root;
    private static Configuration hadoop;

    @BeforeAll
    static void startCluster() {
        root = Hdfs.root();
        hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
    }

    private static Location hdfs(String path) {
        return Location.of(root + "/billing/" + path);
    }

    @Test
    void aSecondWriterOnHdfsIsRefusedNamingTheRunningOne() throws java.io.IOException {
        // An input root without usage (reference data only: empty sites/ is refused before the lock).
        Location input = hdfs("input-locked");
        for (String table : new String[]{"messages", "sites", "site_plans", "cobrowse_sessions", "function_invocations"}) {
            java.nio.file.Files.createDirectories(tmp.resolve("empty").resolve(table));
        }
        InputRoots.writeReferenceOnly(tmp.resolve("empty").toString());
        StorageScenario.upload(tmp.resolve("empty"), input);
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

    /** On a cluster the key lies in a file on the cluster's storage that only the job's user can read (README). */
    @Test
    void thePseudonymKeyFileMayLieOnHdfsReadableByItsOwnerOnly() throws java.io.IOException {
        org.apache.hadoop.fs.Path keyFile = hdfs("secrets/pseudonym.key").path();
        FileSystem fs = keyFile.getFileSystem(hadoop);
        try (OutputStream out = fs.create(keyFile)) {
            out.write((StorageScenario.SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        }
        fs.setPermission(keyFile, new FsPermission((short) 0600));
        MainRunner.Outcome outcome = MainRunner.run("pseudonym", "--site", "s-newyork", "--consumer", "+15551234567",
                "--pseudonym-key-file", keyFile.toString());
        assertEquals(0, outcome.exit(), outcome.err());
        assertEquals(PseudonymKey.of(StorageScenario.SECRET).pseudonym("s-newyork", "+15551234567"), outcome.out().strip());
    }
}
