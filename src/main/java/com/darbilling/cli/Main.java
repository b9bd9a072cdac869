package com.darbilling.cli;

import com.darbilling.input.InputReader;
import com.darbilling.job.Commands;
import com.darbilling.job.MonthClose;
import com.darbilling.run.Failures;
import com.darbilling.run.RunFailure;
import com.darbilling.run.RunRecord;
import com.darbilling.report.InvoiceReport;
import com.darbilling.run.JvmMemory;
import com.darbilling.job.MonthBenchmark;
import com.darbilling.job.NightlyBenchmark;
import com.darbilling.samples.InputGenerator;
import com.darbilling.session.SparkSessions;
import com.darbilling.output.DeltaWriter;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.samples.SampleInputBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Entry point of jobs/billing and of spark-submit. Exit 0 on success, 2 for a command line that
 * cannot run, 1 when a run fails, 3 when a nightly run billed everything but some raw files it
 * could not read. A failure prints one line on stderr; its stack trace goes to the log (and to
 * stderr too with --verbose).
 */
public final class Main {
    static final int SUCCEEDED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** A nightly run that billed every readable file and set others aside (rejected_files): alert, do not retry the night. */
    static final int PARTIAL = 3;
    private static final Logger LOG = LogManager.getLogger(Main.class);
    /** The sample month of data-samples/. */
    static final YearMonth DEMO_MONTH = YearMonth.of(2026, 10);
    /** The demo's cutoff: the start of the month after the sample month, so the demo never depends on today's date. */
    static final Instant DEMO_AS_OF = Instant.parse("2026-11-01T00:00:00Z");

    private Main() {
    }

    /** The project folder (jobs/billing sets billing.home); the working directory otherwise. */
    private static Path home() {
        return Path.of(System.getProperty("billing.home", ".")).toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        JvmMemory.startSampling();
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (UsageException e) {
            System.err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return 2;
        }
        parsed.out().forEach(System.out::println);
        if (parsed.options().isEmpty()) {
            if (!parsed.errors().isEmpty()) {
                System.err.println(CommandLine.PROGRAM + ": " + String.join("; ", parsed.errors()) + " (see --help)");
            }
            return parsed.errors().isEmpty() ? 0 : 2;
        }
        boolean verbose = parsed.options().get().verbose;
        try {
            if ("statement".equals(parsed.options().get().command)) {
                return StatementCommand.run(parsed.options().get(), Invocation.settingsOf(parsed.options().get()));
            }
            Invocation invocation = Invocation.of(parsed.options().get(), String.join(" ", args));
            return invocation == null ? SUCCEEDED : invocation.execute();
        } catch (UsageException e) {
            System.err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return USAGE;
        } catch (Exception | Error e) { // Spark's SparkException is checked but thrown undeclared: catch it too
            String line = e instanceof RunFailure ? e.getMessage() : Failures.oneLine(e);
            LOG.error("run failed: " + line, e);
            System.err.println(CommandLine.PROGRAM + ": error: " + line + (verbose ? "" : " (stack trace in the log; --verbose prints it)"));
            if (verbose) {
                e.printStackTrace(System.err);
            }
            return FAILED;
        }
    }

    /** A checked command line: every value parsed, every path verified, before Spark starts. */
    private record Invocation(String command, Path input, Path warehouse, YearMonth month, LocalDate date,
                              PlanCatalog catalog, PseudonymKey key, Map<String, String> settings, String arguments,
                              long messages, int sites, long seed, Optional<Instant> asOf) {

        Invocation(String command, Path input, Path warehouse, YearMonth month, LocalDate date, PlanCatalog catalog, PseudonymKey key,
                   Map<String, String> settings, String arguments) {
            this(command, input, warehouse, month, date, catalog, key, settings, arguments, 0, 0, 0, Optional.empty());
        }

        static Invocation of(CliOptions o, String arguments) {
            if (o.command.equals("pseudonym")) {
                System.out.println(pseudonymKey(o.keyFile).pseudonym(o.site, o.consumer));
                return null;
            }
            Map<String, String> settings = settingsOf(o);
            if (o.command.equals("demo")) {
                Path samples = home().resolve("data-samples");
                return new Invocation("demo", existingDirectory(samples.resolve("input"), "data-samples input"),
                        Path.of("warehouse").toAbsolutePath(), DEMO_MONTH, null,
                        loadCatalog(samples.resolve("plan-catalog.json").toString()), PseudonymKey.demo(), settings, arguments,
                        0, 0, 0, Optional.of(DEMO_AS_OF));
            }
            if (o.command.equals("generate") || o.command.startsWith("benchmark")) {
                if (o.month == null) {
                    o.month = "2026-10";
                }
                settings.putAll(SampleInputBuilder.SETTINGS);
                return new Invocation(o.command, null, Path.of(o.out).toAbsolutePath(), parseMonth(o.month), null, null, null, settings,
                        arguments, o.messages, o.sites, o.seed, Optional.empty());
            }
            if (o.command.equals("build-samples")) {
                settings.putAll(SampleInputBuilder.SETTINGS);
                return new Invocation("build-samples", existingDirectory(Path.of(o.source), "--source"),
                        Path.of(o.out).toAbsolutePath(), null, null, null, null, settings, arguments);
            }
            YearMonth month = o.month == null ? null : parseMonth(o.month);
            LocalDate date = o.date == null ? null : parseDate(o.date);
            if (o.command.equals("close")) {
                return new Invocation("close", null, Path.of(o.warehouse).toAbsolutePath(), month, null, null, null, settings, arguments);
            }
            Path input = existingDirectory(Path.of(o.input), "--input");
            try {
                InputReader.checkLayout(input);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--input: " + e.getMessage());
            }
            Optional<Instant> asOf = o.asOf == null ? Optional.empty() : Optional.of(parseInstant(o.asOf));
            return new Invocation(o.command, input, Path.of(o.warehouse).toAbsolutePath(), month, date, loadCatalog(o.plans),
                    pseudonymKey(o.keyFile), settings, arguments, 0, 0, 0, asOf);
        }

        /** The Spark settings of the command line (--conf, --master), checked. */
        static Map<String, String> settingsOf(CliOptions o) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String kv : o.rawConf) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw new UsageException("--conf expects key=value, found '" + kv + "'");
                }
                settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            settings.forEach(Invocation::checkSetting);
            if (o.master != null) {
                settings.put("spark.master", o.master);
            } else if (System.getProperty("spark.master") == null) {
                // spark-submit passes its master as this system property; otherwise run in local mode.
                settings.put("spark.master", "local[*]");
            }
            return settings;
        }

        int execute() {
            // A session that exists already (a test JVM, a notebook) belongs to its owner: it is used, not stopped.
            boolean ownSession = SparkSession.getDefaultSession().isEmpty();
            SparkSession spark = SparkSessions.create("dar-billing " + command, settings);
            try {
                if (command.equals("build-samples")) {
                    new SampleInputBuilder(spark).build(input, warehouse);
                    System.out.println("wrote " + warehouse);
                    return 0;
                }
                if (key != null && key.isDemo()) {
                    System.out.println("demo: end-user ids are pseudonymized with the PUBLIC demo key; never use it for real data");
                }
                if (command.equals("generate")) {
                    new InputGenerator(spark).generate(warehouse, messages, sites, month, seed);
                    System.out.println("wrote " + warehouse);
                    System.out.println("bill it, whatever today's date: jobs/billing reprocess --input " + warehouse
                            + " --warehouse WAREHOUSE --month " + month + " --as-of " + InputGenerator.completeAsOf(month));
                    return 0;
                }
                if (command.equals("benchmark")) {
                    Path home = home();
                    MonthBenchmark.requireDuckDb();
                    try {
                        MonthBenchmark.run(spark, warehouse, messages, sites, seed, month, home, home.resolve("target/benchmark-month.csv"),
                                System.out);
                    } catch (Exception e) {
                        throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                    }
                    return 0;
                }
                if (command.equals("benchmark-nightly")) {
                    NightlyBenchmark.run(spark, warehouse, messages, sites, seed, month, home().resolve("target/benchmark-nightly.csv"),
                            System.out);
                    return 0;
                }
                if (command.equals("close")) {
                    new MonthClose(spark, warehouse, System.out).close(month, arguments);
                    return 0;
                }
                Commands commands = new Commands(spark, input, warehouse, catalog, key, System.out);
                switch (command) {
                    case "reprocess" -> commands.reprocess(month, asOf, arguments);
                    case "nightly" -> {
                        RunRecord run = commands.nightly(java.util.Optional.ofNullable(date), asOf, arguments);
                        if (run.unbilledFiles() > 0) {
                            System.err.println(CommandLine.PROGRAM + ": " + run.unbilledFiles()
                                    + " raw files could not be read and were not billed (rejected_files); the rest is billed");
                            return PARTIAL;
                        }
                    }
                    case "demo" -> {
                        System.out.println("demo: data-samples/input -> " + warehouse + ", month " + month + ", as of " + asOf.orElseThrow());
                        commands.reprocess(month, asOf, arguments);
                        InvoiceReport.print(spark, new DeltaWriter(spark, warehouse), month, System.out);
                    }
                    default -> throw new UsageException("unknown command " + command);
                }
                return 0;
            } finally {
                if (ownSession) {
                    spark.stop();
                }
            }
        }

        private static YearMonth parseMonth(String text) {
            try {
                return YearMonth.parse(text);
            } catch (DateTimeParseException e) {
                throw new UsageException("--month expects YYYY-MM, found '" + text + "'");
            }
        }

        private static LocalDate parseDate(String text) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new UsageException("--date expects YYYY-MM-DD, found '" + text + "'");
            }
        }

        /** An ISO-8601 instant with Z or an offset; a local date-time without one is ambiguous and refused. */
        private static Instant parseInstant(String text) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new UsageException("--as-of expects an ISO-8601 instant with Z or an offset (2026-12-01T00:00:00Z), found '"
                        + text + "'");
            }
        }

        private static Path existingDirectory(Path path, String what) {
            if (!Files.isDirectory(path)) {
                throw new UsageException(what + ": " + path + " does not exist or is not a directory");
            }
            return path.toAbsolutePath();
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

        /** --pseudonym-key-file, else $BILLING_PSEUDONYM_KEY; a real run without a key is refused. */
        private static PseudonymKey pseudonymKey(String keyFile) {
            try {
                if (keyFile != null) {
                    Path file = Path.of(keyFile).toAbsolutePath().normalize();
                    if (!Files.isRegularFile(file)) {
                        throw new UsageException("--pseudonym-key-file: " + keyFile + " does not exist or is not a file");
                    }
                    Path home = Path.of(System.getProperty("billing.home", "/nonexistent")).toAbsolutePath().normalize();
                    if (file.startsWith(home)) {
                        throw new UsageException("--pseudonym-key-file: keep the key outside the repository (" + home + ")");
                    }
                    return PseudonymKey.fromFile(file);
                }
                String secret = System.getenv(PseudonymKey.ENVIRONMENT_VARIABLE);
                if (secret == null || secret.isBlank()) {
                    throw new UsageException("no pseudonym key: set " + PseudonymKey.ENVIRONMENT_VARIABLE
                            + " or pass --pseudonym-key-file FILE (end-user ids are never stored in clear)");
                }
                return PseudonymKey.of(secret);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        private static PlanCatalog loadCatalog(String plans) {
            if (plans == null) {
                return PlanCatalog.bundled();
            }
            Path file = Path.of(plans);
            if (!Files.isRegularFile(file)) {
                throw new UsageException("--plans: " + plans + " does not exist or is not a file");
            }
            try {
                return PlanCatalog.load(file);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }
}
