package com.darbilling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The defaults read from jobs/conf/spark-defaults.conf (packaged beside SparkSessions), without a session. */
class SparkSessionsTest {
    @Test
    void defaultsAreReadAsSparkReadsTheFile() {
        assertEquals("UTC", SparkSessions.DEFAULTS.get("spark.sql.session.timeZone"));
        assertEquals("true", SparkSessions.DEFAULTS.get("spark.sql.datetime.java8API.enabled"));
        assertEquals("2", SparkSessions.DEFAULTS.get("spark.databricks.delta.snapshotPartitions"));
        assertEquals("false", SparkSessions.DEFAULTS.get("spark.databricks.delta.properties.defaults.enableDeletionVectors"));
        assertEquals("(?i)secret|password|token|access[.]key|pseudonym[._-]?key", SparkSessions.DEFAULTS.get("spark.redaction.regex"));
        assertTrue(SparkSessions.DEFAULTS.keySet().stream().allMatch(k -> k.startsWith("spark.")), SparkSessions.DEFAULTS.keySet().toString());
    }

    @Test
    void theRedactionPatternHidesThePseudonymKeyWhereverItIsSet() {
        var pattern = SparkSessions.redaction(java.util.Map.of());
        assertTrue(pattern.matcher("spark.executorEnv.BILLING_PSEUDONYM_KEY").find());
        assertTrue(pattern.matcher("spark.hadoop.fs.s3a.secret.key").find());
        assertFalse(pattern.matcher("spark.sql.shuffle.partitions").find());
    }
}
