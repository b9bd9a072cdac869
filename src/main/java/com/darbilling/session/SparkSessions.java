package com.darbilling.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds the SparkSession. It never sets the master: spark-submit does, or the
 * CLI's --master passes it in {@code settings}.
 */
public final class SparkSessions {
    /** Settings every run needs; a value given by spark-submit, --conf or a system property wins. */
    public static final Map<String, String> DEFAULTS = defaults();
    /**
     * Settings no one may change: with either set to true, Spark skips a corrupt or vanished raw
     * file in silence, and its rows would be missing from an invoice without a trace. The job finds
     * such files itself and sets them aside loudly (rejected_files).
     */
    public static final Map<String, String> FIXED = Map.of(
            "spark.sql.files.ignoreCorruptFiles", "false",
            "spark.sql.files.ignoreMissingFiles", "false");

    private SparkSessions() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        d.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        d.put("spark.sql.session.timeZone", "UTC");
        d.put("spark.sql.datetime.java8API.enabled", "true");
        d.put("spark.sql.adaptive.enabled", "true");
        d.put("spark.sql.shuffle.partitions", "16");
        d.put("spark.ui.showConsoleProgress", "false");
        d.put("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false");
        // Delta rebuilds a table's state in this many tasks on every commit (default 50): a fixed
        // cost of seconds per write on a small machine. Raise it for tables with millions of files.
        d.put("spark.databricks.delta.snapshotPartitions", "8");
        // What compaction (DeltaWriter.compactIfFragmented) rewrites: files under 64 MB, into
        // files of up to 128 MB. Delta's auto compaction stays off: it compacted after every
        // replace or merge, about 9 s of a small month's 45 s reprocess.
        d.put("spark.databricks.delta.optimize.minFileSize", String.valueOf(64L * 1024 * 1024));
        d.put("spark.databricks.delta.optimize.maxFileSize", String.valueOf(128L * 1024 * 1024));
        return Map.copyOf(d);
    }

    /**
     * @param settings Spark settings of this run (--conf, --master); they override the defaults.
     *                 Local dates need the session zone UTC, so a different zone is refused.
     */
    public static SparkSession create(String appName, Map<String, String> settings) {
        SparkConf fromEnvironment = new SparkConf();
        Map<String, String> effective = new LinkedHashMap<>();
        DEFAULTS.forEach((k, v) -> {
            if (!fromEnvironment.contains(k)) {
                effective.put(k, v);
            }
        });
        effective.putAll(settings);
        effective.putAll(FIXED);
        String zone = effective.getOrDefault("spark.sql.session.timeZone", fromEnvironment.get("spark.sql.session.timeZone", "UTC"));
        if (!zone.equals("UTC")) {
            throw new IllegalArgumentException("spark.sql.session.timeZone must be UTC (local dates depend on it), found " + zone);
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        effective.forEach(builder::config);
        return builder.getOrCreate();
    }
}
