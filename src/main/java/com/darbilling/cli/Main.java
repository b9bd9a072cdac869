package com.darbilling.cli;

import com.darbilling.run.Failures;
import com.darbilling.run.JvmMemory;
import com.darbilling.run.Refusal;
import com.darbilling.run.RunFailure;
import com.darbilling.session.SparkSessions;
import java.io.PrintStream;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Entry point of jobs/billing and of spark-submit. Exit 0 on success, 2 for a command line that
 * cannot run (or a warehouse it must not run on), 1 when a run fails, 3 when a nightly run billed
 * everything but some raw files it could not read, or was refused because a month needs a reprocess. A failure prints one line on stderr; its stack trace goes to the log (and to
 * stderr too with --verbose).
 */
public final class Main {
    static final int SUCCEEDED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /**
     * A nightly run that billed every readable file and set others aside (rejected_files), or a run
     * refused until an operator finishes a month: alert, do not retry the night.
     */
    static final int PARTIAL = 3;
    private static final Logger LOG = LogManager.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        JvmMemory.startSampling();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * The command line, run with the environment and streams it is given (the pseudonym key may come from
     * {@code env}): {@link #main} passes the process's own.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Scopt.Parsed<CliOptions> parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return USAGE;
        }
        parsed.out().forEach(out::println);
        if (parsed.config().isEmpty()) {
            if (!parsed.errors().isEmpty()) {
                err.println(CommandLine.PROGRAM + ": " + String.join("; ", parsed.errors()) + " (see --help)");
            }
            return parsed.errors().isEmpty() ? SUCCEEDED : USAGE;
        }
        CliOptions options = parsed.config().get();
        try {
            Map<String, String> settings = Checks.settings(options.conf(), options.master());
            Invocation invocation = new Invocation(env, out, err, settings, RecordedCommandLine.of(args, SparkSessions.redaction(settings)));
            return options.command().orElseThrow().run(invocation);
        } catch (UsageException e) {
            err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return USAGE;
        } catch (Refusal e) {
            err.println(CommandLine.PROGRAM + ": " + e.getMessage());
            return e.kind() == Refusal.Kind.NEEDS_OPERATOR ? PARTIAL : USAGE;
        } catch (Exception | Error e) { // Spark's SparkException is checked but thrown undeclared: catch it too
            String line = e instanceof RunFailure ? e.getMessage() : Failures.oneLine(e);
            LOG.error("run failed: " + line, e);
            err.println(CommandLine.PROGRAM + ": error: " + line + (options.verbose() ? "" : " (stack trace in the log; --verbose prints it)"));
            if (options.verbose()) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }
}
