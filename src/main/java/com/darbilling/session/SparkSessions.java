package com.darbilling.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds the SparkSession. It never sets the master: spark-submit does, or the
 * CLI's --master passes it in {@code settings}.
 */
public final class SparkSessions {
    private static final String DEFAULTS_FILE = "spark-defaults.conf";
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

    /** Defaults that change what the job computes, not how fast: set on an existing session too. */
    private static final java.util.Set<String> RESULTS_DEPEND_ON = java.util.Set.of("spark.sql.session.timeZone",
            "spark.sql.datetime.java8API.enabled");

    private static final String REDACTION = "spark.redaction.regex";

    private SparkSessions() {
    }

    /** Spark's redaction pattern for a run with these settings: their own, else spark-submit's, else the defaults'. */
    public static Pattern redaction(Map<String, String> settings) {
        return Pattern.compile(settings.getOrDefault(REDACTION, new SparkConf().get(REDACTION,
                DEFAULTS.getOrDefault(REDACTION, "(?i)secret|password|token|access[.]key"))));
    }

    /**
     * jobs/conf/spark-defaults.conf, packaged beside this class, read as Spark reads that file
     * ({@link Properties#load}, values trimmed). The submit scripts pass the same file's lines as
     * --conf. Spark's console progress bar shows only on a terminal: not in CI logs, not when the
     * output is redirected.
     */
    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        try (InputStream in = SparkSessions.class.getResourceAsStream(DEFAULTS_FILE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_FILE + " is missing from the class path");
            }
            Properties file = new Properties();
            file.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            file.stringPropertyNames().stream().sorted().forEach(key -> d.put(key, file.getProperty(key).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        d.put("spark.ui.showConsoleProgress", String.valueOf(System.console() != null));
        return Map.copyOf(d);
    }

    /**
     * @param settings Spark settings of this run (--conf, --master); they override the defaults.
     *                 Local dates need the session zone UTC, so a different zone is refused.
     */
    public static SparkSession create(String appName, Map<String, String> settings) {
        SparkConf fromEnvironment = new SparkConf();
        Map<String, String> effective = new LinkedHashMap<>();
        // A session that already exists in this JVM (a notebook's, a test's) keeps its own tuning: only
        // the settings the results depend on (UTC, java.time values), the command's explicit ones and
        // the fixed ones are set on it.
        boolean existing = SparkSession.getDefaultSession().isDefined();
        DEFAULTS.forEach((k, v) -> {
            if ((!existing || RESULTS_DEPEND_ON.contains(k)) && !fromEnvironment.contains(k)) {
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
