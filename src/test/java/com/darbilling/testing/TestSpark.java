package com.darbilling.testing;

import com.darbilling.session.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of the test JVM: local, two cores, two shuffle partitions, Delta, UTC. */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.create("dar-billing tests", Map.of(
                    "spark.master", "local[2]",
                    "spark.sql.shuffle.partitions", "2",
                    "spark.default.parallelism", "2",
                    "spark.databricks.delta.snapshotPartitions", "2",
                    "spark.ui.enabled", "false",
                    "spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/dar-billing-spark-warehouse"));
        }
        return session;
    }
}
