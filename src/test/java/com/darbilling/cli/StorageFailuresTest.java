package com.darbilling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.storage.Location;
import com.darbilling.testing.Hdfs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.S3Server;
import com.darbilling.testing.TestSpark;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad storage on the command line: an unreachable S3 endpoint or NameNode, wrong credentials, a
 * missing bucket, a missing input table, a warehouse the user may not write. Each ends with one
 * line on stderr and an exit code, within about a minute, with nothing written to the warehouse.
 */
class StorageFailuresTest {
    private static final Map<String, String> KEY = Map.of("BILLING_PSEUDONYM_KEY", "test-key-0123456789abcdef");
    @TempDir
    static Path tmp;
    private static S3Server s3;
    private static Configuration hadoop;
    private static String bucket;
    private static String denied;

    @BeforeAll
    static void startServer() throws IOException {
        s3 = S3Server.shared();
        hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
        s3.configure(hadoop);
        bucket = s3.newBucket("failures");
        denied = s3.newBucket("denied");
        // Its own keys, wrong ones, set before S3A first opens the bucket (S3A caches a file system per bucket).
        hadoop.set("fs.s3a.bucket." + denied + ".secret.key", "not-the-secret");
        FileSystem fs = Location.of("s3a://" + bucket + "/").path().getFileSystem(hadoop);
        for (String table : new String[]{"messages", "sites", "site_plans", "cobrowse_sessions", "function_invocations"}) {
            fs.mkdirs(Location.of("s3a://" + bucket + "/empty/" + table).path());
            if (!table.equals("function_invocations")) {
                fs.mkdirs(Location.of("s3a://" + bucket + "/partial/" + table).path());
            }
        }
        // No usage, but the reference data a run checks before it takes the lock.
        InputRoots.writeReferenceOnly("s3a://" + bucket + "/empty");
    }

    private static MainRunner.Outcome reprocess(String input, String warehouse) {
        return MainRunner.run(KEY, "reprocess", "--input", input, "--warehouse", warehouse, "--month", "2026-10");
    }

    private static void assertOneLine(MainRunner.Outcome outcome, int exit, String expected) {
        assertEquals(exit, outcome.exit(), outcome.err());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().contains(expected), outcome.err());
    }

    @Test
    void anUnreachableEndpointFailsWithinAMinute() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        hadoop.set("fs.s3a.bucket.unreachable.endpoint", "http://127.0.0.1:" + closed);
        long start = System.nanoTime();
        MainRunner.Outcome outcome = reprocess("s3a://unreachable/input", tmp.resolve("w1").toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertOneLine(outcome, 1, "cannot read s3a://unreachable/input: the store is unreachable");
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "bounded retries: " + took);
        System.out.println("unreachable S3 endpoint: the run failed after " + took.toMillis() + " ms");
        assertFalse(Files.exists(tmp.resolve("w1")), "nothing written");
    }

    @Test
    void wrongCredentialsFailWithOneLineAndNothingWritten() {
        assertOneLine(reprocess("s3a://" + denied + "/input", tmp.resolve("w2").toString()), 1,
                "cannot read s3a://" + denied + "/input: access denied");
        assertOneLine(reprocess("s3a://" + bucket + "/empty", "s3a://" + denied + "/warehouse"), 1,
                "cannot take the warehouse lock of s3a://" + denied + "/warehouse: access denied");
        assertTrue(s3.client().listObjects(denied).getObjectSummaries().isEmpty(), "nothing written");
        assertFalse(Files.exists(tmp.resolve("w2")));
    }

    @Test
    void aMissingBucketOrInputTableIsAUsageError() {
        assertOneLine(reprocess("s3a://no-such-bucket-" + System.nanoTime() + "/input", tmp.resolve("w3").toString()), 2,
                "/input: no such bucket or store: The specified bucket does not exist");
        assertOneLine(reprocess("s3a://" + bucket + "/partial", tmp.resolve("w4").toString()), 2,
                "--input: input root s3a://" + bucket + "/partial has no function_invocations/ directory");
        assertFalse(Files.exists(tmp.resolve("w3")));
        assertFalse(Files.exists(tmp.resolve("w4")));
    }

    @Test
    void anUnreachableNameNodeFailsWithinAMinute() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String input = "hdfs://127.0.0.1:" + closed + "/input";
        long start = System.nanoTime();
        MainRunner.Outcome outcome = reprocess(input, tmp.resolve("w5").toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertOneLine(outcome, 1, "cannot read " + input + ": the store is unreachable");
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "bounded retries: " + took);
        System.out.println("unreachable NameNode: the run failed after " + took.toMillis() + " ms");
        assertFalse(Files.exists(tmp.resolve("w5")), "nothing written");
    }

    /** HDFS checks permissions (the tests' user is not its superuser): a warehouse folder of another user, read-only to others. */
    @Test
    void aWarehouseTheUserMayNotWriteFailsWithOneLineAndNothingWritten() throws IOException {
        String root = Hdfs.root();
        FileSystem fs = Location.of(root + "/").path().getFileSystem(hadoop);
        for (String table : new String[]{"messages", "sites", "site_plans", "cobrowse_sessions", "function_invocations"}) {
            fs.mkdirs(Location.of(root + "/failures/input/" + table).path());
        }
        InputRoots.writeReferenceOnly(root + "/failures/input");
        org.apache.hadoop.fs.Path readOnly = Location.of(root + "/read-only").path();
        Hdfs.asSuperuser(superuser -> superuser.mkdirs(readOnly, new FsPermission((short) 0755)));
        String warehouse = root + "/read-only/warehouse";
        MainRunner.Outcome outcome = reprocess(root + "/failures/input", warehouse);
        assertOneLine(outcome, 1, "cannot take the warehouse lock of " + warehouse + ": access denied (credentials or permissions)");
        assertOneLine(outcome, 1, "Permission denied: user=" + System.getProperty("user.name"));
        assertEquals(0, fs.listStatus(readOnly).length, "nothing written");
    }
}
