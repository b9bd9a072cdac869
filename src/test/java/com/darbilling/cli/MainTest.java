package com.darbilling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command lines that cannot run: exit 2, one line on stderr, nothing created. */
class MainTest {
    @TempDir
    Path tmp;

    private static MainRunner.Outcome run(String... args) {
        return MainRunner.run(args);
    }

    private void assertUsageError(String expected, String... args) {
        MainRunner.Outcome outcome = run(args);
        assertEquals(2, outcome.exit(), outcome.err());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().contains(expected), outcome.err());
    }

    @Test
    void helpPrintsEveryCommandAndExitsZero() {
        MainRunner.Outcome outcome = run("--help");
        assertEquals(0, outcome.exit());
        for (String command : new String[]{"reprocess", "nightly", "demo", "--input", "--warehouse", "--month", "--date", "--plans",
                "--as-of", "--master", "--conf", "--verbose"}) {
            assertTrue(outcome.out().contains(command), command);
        }
        assertEquals(0, run("reprocess", "--help").exit());
    }

    @Test
    void pseudonymOfAnEndUserForADispute() throws Exception {
        Path keyFile = tmp.resolve("billing.key");
        Files.writeString(keyFile, "test-key-0123456789abcdef\n");
        MainRunner.Outcome outcome = run("pseudonym", "--site", "s-newyork", "--consumer", "c-ann", "--pseudonym-key-file", keyFile.toString());
        // printf 's-newyork\nc-ann' | openssl dgst -sha256 -hmac test-key-0123456789abcdef
        assertEquals("73c698897d575039e146dd921001671bfc1f89daca5ae79fbd31c6226e6de5e6", outcome.out().strip());
        assertEquals(0, outcome.exit());
    }

    @Test
    void badCommandLinesExitTwoWithOneLine() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        for (String table : new String[]{"messages", "sites", "site_plans", "cobrowse_sessions", "function_invocations"}) {
            Files.createDirectories(input.resolve(table));
        }
        Path partial = Files.createDirectories(tmp.resolve("partial").resolve("messages"));
        Path warehouse = tmp.resolve("warehouse");
        assertUsageError("no command given");
        assertUsageError("Unknown option --bogus", "reprocess", "--bogus");
        assertUsageError("--month expects YYYY-MM, found '2026-13'", "reprocess", "--input", input.toString(), "--warehouse",
                warehouse.toString(), "--month", "2026-13");
        assertUsageError("--date expects YYYY-MM-DD, found '2026-02-30'", "nightly", "--input", input.toString(), "--warehouse",
                warehouse.toString(), "--date", "2026-02-30");
        assertUsageError("--as-of expects an ISO-8601 instant with Z or an offset (2026-12-01T00:00:00Z), found '2026-12-01T00:00:00'",
                "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", "2026-12-01T00:00:00");
        assertUsageError("--as-of expects an ISO-8601 instant", "nightly", "--input", input.toString(), "--warehouse",
                warehouse.toString(), "--as-of", "yesterday");
        assertUsageError("--input: " + tmp.resolve("nope") + " does not exist", "reprocess", "--input", tmp.resolve("nope").toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10");
        assertUsageError("--conf expects key=value, found 'spark.sql.shuffle.partitions'", "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10", "--conf", "spark.sql.shuffle.partitions");
        assertUsageError("spark.sql.shuffle.partitions=many", "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10", "--conf", "spark.sql.shuffle.partitions=many");
        assertUsageError("Spark settings start with 'spark.'", "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10", "--conf", "shuffle.partitions=4");
        assertUsageError("--conf spark.sql.files.ignoreCorruptFiles must be false", "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10", "--conf", "spark.sql.files.ignoreCorruptFiles=true");
        assertUsageError("must be UTC", "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10", "--conf", "spark.sql.session.timeZone=Asia/Tokyo");
        // spark-submit --conf spark.sql.session.timeZone=Asia/Tokyo arrives as a system property
        System.setProperty("spark.sql.session.timeZone", "Asia/Tokyo");
        try {
            assertUsageError("spark.sql.session.timeZone (given to spark-submit) must be UTC (local dates depend on it), found Asia/Tokyo",
                    "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10");
        } finally {
            System.clearProperty("spark.sql.session.timeZone");
        }
        assertUsageError("--plans: " + tmp.resolve("plans.json") + " does not exist", "reprocess", "--input", input.toString(),
                "--warehouse", warehouse.toString(), "--month", "2026-10", "--plans", tmp.resolve("plans.json").toString());
        assertUsageError("has no sites/ directory", "reprocess", "--input", partial.getParent().toString(), "--warehouse",
                warehouse.toString(), "--month", "2026-10");
        Files.writeString(tmp.resolve("bad.json"), "[{\"plan_id\": \"p\"}]");
        assertUsageError("field version is missing", "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10", "--plans", tmp.resolve("bad.json").toString());
        assertUsageError("no pseudonym key", "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10");
        Files.writeString(tmp.resolve("short.key"), "short");
        assertUsageError("at least 16 bytes", "reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(),
                "--month", "2026-10", "--pseudonym-key-file", tmp.resolve("short.key").toString());
        assertFalse(Files.exists(warehouse), "a refused command line must create nothing");
    }
}
