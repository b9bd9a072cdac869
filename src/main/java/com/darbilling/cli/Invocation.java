package com.darbilling.cli;

import com.darbilling.input.InputReader;
import com.darbilling.job.Commands;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.session.SparkSessions;
import com.darbilling.storage.InputFiles;
import com.darbilling.storage.Location;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What a command runs with: the caller's environment and streams, the checked Spark settings of the
 * command line and the command line itself (stored with each run).
 */
record Invocation(Map<String, String> env, PrintStream out, PrintStream err, Map<String, String> settings, String arguments) {

    /** The project folder (jobs/billing sets billing.home); the working directory otherwise. */
    static Path home() {
        return Path.of(System.getProperty("billing.home", ".")).toAbsolutePath().normalize();
    }

    /** The Hadoop configuration of this command's session, for the checks made before it starts. */
    Configuration hadoop() {
        return Checks.hadoop(settings);
    }

    /** The input root, warehouse, catalog and key of a billing run, checked before Spark starts, on any store. */
    Job job(Location input, Location warehouse, Optional<Location> plans, Optional<Location> keyFile) {
        Configuration hadoop = hadoop();
        Location root = Checks.existingDirectory(input, "--input", hadoop);
        try {
            InputReader.checkLayout(root, new InputFiles(hadoop));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--input: " + e.getMessage());
        }
        return new Job(root, Checks.warehouse(warehouse, settings), Checks.catalog(plans, hadoop), Checks.pseudonymKey(keyFile, env, hadoop));
    }

    /** A checked billing run, ready for a session. */
    record Job(Location input, Location warehouse, PlanCatalog catalog, PseudonymKey key) {
        Commands open(SparkSession spark, PrintStream out) {
            return new Commands(spark, input, warehouse, catalog, key, out);
        }
    }

    /**
     * Runs {@code body} with a session named after the command. A session that exists already (a test
     * JVM, a notebook) belongs to its owner: it is used, not stopped.
     */
    int withSpark(String command, ToIntFunction<SparkSession> body) {
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create("dar-billing " + command, settings);
        try {
            return body.applyAsInt(spark);
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }
}
