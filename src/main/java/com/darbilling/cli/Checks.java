package com.darbilling.cli;

import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.session.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.internal.SQLConf;

/** Checks of a command line's values that parsing cannot make: each refusal is a {@link UsageException}. */
final class Checks {
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
        if (key.equals("spark.sql.session.timeZone") && !value.equals("UTC")) {
            throw new UsageException("--conf spark.sql.session.timeZone must be UTC (local dates depend on it), found " + value);
        }
        if (key.startsWith("spark.sql.")) {
            try {
                new SQLConf().setConfString(key, value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--conf " + key + "=" + value + ": " + e.getMessage());
            }
        }
    }

    static Path existingDirectory(Path path, String what) {
        if (!Files.isDirectory(path)) {
            throw new UsageException(what + ": " + path + " does not exist or is not a directory");
        }
        return path.toAbsolutePath();
    }

    /** --pseudonym-key-file, else the environment's BILLING_PSEUDONYM_KEY; a real run without a key is refused. */
    static PseudonymKey pseudonymKey(Optional<Path> keyFile, Map<String, String> env) {
        try {
            if (keyFile.isPresent()) {
                Path file = keyFile.get().toAbsolutePath().normalize();
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("--pseudonym-key-file: " + keyFile.get() + " does not exist or is not a file");
                }
                Path home = Path.of(System.getProperty("billing.home", "/nonexistent")).toAbsolutePath().normalize();
                if (file.startsWith(home)) {
                    throw new UsageException("--pseudonym-key-file: keep the key outside the repository (" + home + ")");
                }
                return PseudonymKey.fromFile(file);
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
    static PlanCatalog catalog(Optional<Path> plans) {
        if (plans.isEmpty()) {
            return PlanCatalog.bundled();
        }
        Path file = plans.get();
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--plans: " + file + " does not exist or is not a file");
        }
        try {
            return PlanCatalog.load(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
