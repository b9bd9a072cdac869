package com.darbilling.testing;

import com.darbilling.session.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM: local, two cores, Delta, UTC. The tests' tables are tiny, so
 * fixed costs dominate: one shuffle partition and one Delta snapshot partition (each task costs),
 * and no whole-stage code generation (each new query compiles its Java code first). Measured on
 * AsOfTest, on a loaded 2-core machine (load 10-15), wall and CPU: two partitions each 357 s and
 * 137 s; one 298 s and 132 s; one and no whole-stage code generation 175 s and 114 s.
 *
 * <p>Its settings are also system properties: a command line run in this JVM (MainRunner) builds
 * its session with SparkSessions.create, which uses this session and would otherwise set the job's
 * defaults on it (16 shuffle partitions, 8 snapshot partitions) for every later test.
 */
public final class TestSpark {
    private static final Map<String, String> SETTINGS = Map.of(
            "spark.master", "local[2]",
            "spark.sql.shuffle.partitions", "1",
            "spark.default.parallelism", "1",
            "spark.databricks.delta.snapshotPartitions", "1",
            "spark.sql.codegen.wholeStage", "false",
            "spark.ui.enabled", "false",
            "spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/dar-billing-spark-warehouse");
    private static SparkSession session;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            SETTINGS.forEach(System::setProperty);
            session = SparkSessions.create("dar-billing tests", SETTINGS);
        }
        return session;
    }
}
