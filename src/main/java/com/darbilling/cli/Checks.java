package com.darbilling.cli;

import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.session.SparkSessions;
import com.darbilling.storage.InputFiles;
import com.darbilling.storage.Location;
import com.darbilling.storage.StorageException;
import com.darbilling.storage.Stores;
import com.darbilling.storage.WarehouseLock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

/** Checks of a command line's values that parsing cannot make: each refusal is a {@link UsageException}. */
final class Checks {
    private static final String SESSION_ZONE = "spark.sql.session.timeZone";

    private Checks() {
    }

    /** The Spark settings of the command line (--conf, --master), checked. */
    static Map<String, String> settings(List<String> conf, Optional<String> master) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) {
                throw new UsageException("--conf expects key=value, found '" + kv + "'");
            }
            settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        settings.forEach(Checks::checkSetting);
        // spark-submit passes its --conf and spark-defaults.conf as system properties: the same zone rule, before anything runs.
        String submittedZone = System.getProperty(SESSION_ZONE);
        if (!settings.containsKey(SESSION_ZONE) && submittedZone != null && !submittedZone.equals("UTC")) {
            throw new UsageException(SESSION_ZONE + " (given to spark-submit) must be UTC (local dates depend on it), found " + submittedZone);
        }
        if (master.isPresent()) {
            settings.put("spark.master", master.get());
        } else if (System.getProperty("spark.master") == null) {
            // spark-submit passes its master as this system property; otherwise run in local mode.
            settings.put("spark.master", "local[*]");
        }
        return settings;
    }

    /** Refuses what Spark would ignore or fail on later, and a session zone other than UTC. */
    private static void checkSetting(String key, String value) {
        if (!key.startsWith("spark.")) {
            throw new UsageException("--conf " + key + ": Spark settings start with 'spark.'");
        }
        if (SparkSessions.FIXED.containsKey(key) && !SparkSessions.FIXED.get(key).equals(value)) {
            throw new UsageException("--conf " + key + " must be " + SparkSessions.FIXED.get(key)
                    + ": a raw file skipped in silence would be missing from an invoice");
        }
        if (key.equals(SESSION_ZONE) && !value.equals("UTC")) {
            throw new UsageException("--conf " + SESSION_ZONE + " must be UTC (local dates depend on it), found " + value);
        }
        if (key.startsWith("spark.sql.")) {
            try {
                new SQLConf().setConfString(key, value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--conf " + key + "=" + value + ": " + e.getMessage());
            }
        }
    }

    /**
     * The Hadoop configuration the run's session will have, for the checks made before it starts:
     * Spark's own translation of the settings ({@code spark.hadoop.*}, the AWS environment variables),
     * over the job's defaults; a session already running in this JVM (a test's, a notebook's) lends its own.
     */
    static Configuration hadoop(Map<String, String> settings) {
        Configuration hadoop;
        if (SparkSession.getDefaultSession().isDefined()) {
            hadoop = new Configuration(SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration());
        } else {
            SparkConf conf = new SparkConf();
            SparkSessions.DEFAULTS.forEach((k, v) -> {
                if (!conf.contains(k)) {
                    conf.set(k, v);
                }
            });
            hadoop = SparkHadoopUtil.get().newConfiguration(conf);
        }
        String prefix = "spark.hadoop.";
        settings.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                hadoop.set(k.substring(prefix.length()), v);
            }
        });
        return hadoop;
    }

    static Location existingDirectory(Location location, String what, Configuration hadoop) {
        boolean exists;
        try {
            exists = new InputFiles(hadoop).isDirectory(location);
        } catch (StorageException e) {
            if (e.isMissingStore()) {
                throw new UsageException(what + ": " + e.getMessage());
            }
            throw e;
        }
        if (!exists) {
            throw new UsageException(what + ": " + location + " does not exist or is not a directory");
        }
        return location;
    }

    /** The warehouse's store can make the one-writer lock, or the lock is turned off. */
    static Location warehouse(Location warehouse, Map<String, String> settings) {
        String lock = settings.getOrDefault(WarehouseLock.SETTING, System.getProperty(WarehouseLock.SETTING, "on"));
        if (!lock.equals("off")) {
            try {
                WarehouseLock.checkSupported(warehouse);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return warehouse;
    }

    /** A small file (catalog, key) of any store: its text, or a usage error naming the option. */
    private static String text(Location file, String option, Configuration hadoop) {
        try {
            return Stores.readText(file, hadoop);
        } catch (FileNotFoundException e) {
            throw new UsageException(option + ": " + file + " does not exist or is not a file");
        } catch (IOException e) {
            throw Stores.failure("cannot read " + option, file, e);
        }
    }

    /** --pseudonym-key-file, else the environment's BILLING_PSEUDONYM_KEY; a real run without a key is refused. */
    static PseudonymKey pseudonymKey(Optional<Location> keyFile, Map<String, String> env, Configuration hadoop) {
        try {
            if (keyFile.isPresent()) {
                if (keyFile.get().isLocal()) {
                    Path file = keyFile.get().localPath();
                    Path home = Path.of(System.getProperty("billing.home", "/nonexistent")).toAbsolutePath().normalize();
                    if (Files.isRegularFile(file) && file.startsWith(home)) {
                        throw new UsageException("--pseudonym-key-file: keep the key outside the repository (" + home + ")");
                    }
                }
                return PseudonymKey.of(text(keyFile.get(), "--pseudonym-key-file", hadoop));
            }
            String secret = env.get(PseudonymKey.ENVIRONMENT_VARIABLE);
            if (secret == null || secret.isBlank()) {
                throw new UsageException("no pseudonym key: set " + PseudonymKey.ENVIRONMENT_VARIABLE
                        + " or pass --pseudonym-key-file FILE (end-user ids are never stored in clear)");
            }
            return PseudonymKey.of(secret);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** --plans, else the bundled catalog. */
    static PlanCatalog catalog(Optional<Location> plans, Configuration hadoop) {
        if (plans.isEmpty()) {
            return PlanCatalog.bundled();
        }
        String json = text(plans.get(), "--plans", hadoop);
        try {
            return PlanCatalog.parse(json, plans.get().toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
