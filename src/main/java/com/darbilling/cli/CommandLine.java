package com.darbilling.cli;

import com.darbilling.cli.Command.Close;
import com.darbilling.cli.Command.Demo;
import com.darbilling.cli.Command.Maintain;
import com.darbilling.cli.Command.Nightly;
import com.darbilling.cli.Command.Pseudonym;
import com.darbilling.cli.Command.Reprocess;
import com.darbilling.cli.Command.Statement;
import com.darbilling.job.WarehouseMaintenance;
import com.darbilling.storage.Location;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.function.BiFunction;
import scopt.OParser;
import scopt.OParser$;
import scopt.OParserBuilder;
import scopt.Read$;

/** The scopt grammar of jobs/billing: one command, each filling in its own record. */
final class CommandLine {
    static final String PROGRAM = "billing";
    /** The commands, in the order of the usage. */
    static final List<String> COMMANDS = List.of("reprocess", "nightly", "close", "maintain", "statement", "demo", "pseudonym");
    /** Maintainers' commands that jobs/billing runs from the tools' entry point (src/tools), not from the application. */
    static final List<String> TOOLS = List.of("generate", "benchmark", "benchmark-nightly", "build-samples");

    private CommandLine() {
    }

    static Scopt.Parsed<CliOptions> parse(String[] args) {
        return Scopt.parse(CommandLine::grammar, args, CliOptions.NONE);
    }

    private static OParser<?, CliOptions> grammar(Scopt.Reads reads) {
        OParserBuilder<CliOptions> b = OParser$.MODULE$.builder();
        Options o = new Options(b, reads);
        return OParser$.MODULE$.sequence(b.programName(PROGRAM), Scopt.seq(List.of(
                b.head(Scopt.seq(List.of(PROGRAM, "- Daily Active Relationship billing: DARs, credits and invoice lines in Delta"))),
                b.opt("master", reads.text()).valueName("URL")
                        .text("Spark master (default local[*], or what spark-submit set)")
                        .action((v, c) -> c.withMaster(v)),
                b.opt("conf", reads.text()).unbounded().valueName("key=value")
                        .text("a Spark setting, repeatable")
                        .action((v, c) -> c.withConf(v)),
                b.opt("verbose", Read$.MODULE$.unitRead()).text("print a failed run's stack trace on stderr too (it is always in the log)")
                        .action((v, c) -> c.verbosely()),
                b.help("help").text("print this usage"),
                b.cmd("reprocess").text("compute one billing month from the raw inputs and replace that month in the output tables")
                        .action((v, c) -> c.withCommand(Reprocess.NEW))
                        .children(Scopt.seq(List.of(
                                o.input(Reprocess.class, Reprocess::withInput),
                                o.warehouse(Reprocess.class, Reprocess::withWarehouse),
                                o.month(Reprocess.class, Reprocess::withMonth, "billing month"),
                                o.asOf(Reprocess.class, Reprocess::withAsOf),
                                o.plans(Reprocess.class, Reprocess::withPlans),
                                o.keyFile(Reprocess.class, Reprocess::withKeyFile),
                                b.opt("dry-run", Read$.MODULE$.unitRead())
                                        .text("compute the month and print, per site, how its invoice would change against the current "
                                                + "version (lines and amounts old -> new, drops to zero first); writes nothing, takes no lock")
                                        .action((v, c) -> c.with(Reprocess.class, Reprocess::asDryRun))))),
                b.cmd("nightly").text("merge every raw file that arrived since the last run (or, with --date, the files of one UTC date) and re-rate the months and sites they touch")
                        .action((v, c) -> c.withCommand(Nightly.NEW))
                        .children(Scopt.seq(List.of(
                                o.input(Nightly.class, Nightly::withInput),
                                o.warehouse(Nightly.class, Nightly::withWarehouse),
                                b.opt("date", reads.date("--date")).valueName("YYYY-MM-DD")
                                        .text("process the event_date partitions of this UTC date only")
                                        .action((v, c) -> c.with(Nightly.class, n -> n.withDate(v))),
                                o.asOf(Nightly.class, Nightly::withAsOf),
                                o.plans(Nightly.class, Nightly::withPlans),
                                o.keyFile(Nightly.class, Nightly::withKeyFile)))),
                b.cmd("close").text("mark the month's DRAFT invoice lines FINAL; later changes make a new version")
                        .action((v, c) -> c.withCommand(Close.NEW))
                        .children(Scopt.seq(List.of(
                                o.warehouse(Close.class, Close::withWarehouse),
                                o.month(Close.class, Close::withMonth, "billing month to close")))),
                b.cmd("maintain").text("under the lock, compact every table's small files, write checkpoints and remove the files no "
                                + "table version of the retention reads (VACUUM); rows never change")
                        .action((v, c) -> c.withCommand(Maintain.NEW))
                        .children(Scopt.seq(List.of(
                                o.warehouse(Maintain.class, Maintain::withWarehouse),
                                b.opt("retain", reads.positive("--retain")).valueName("DAYS")
                                        .text("days of table versions that stay readable by time travel (default "
                                                + WarehouseMaintenance.DEFAULT_RETAIN_DAYS + ", at least " + WarehouseMaintenance.minRetainDays()
                                                + "); invoice versions are rows and stay")
                                        .action((v, c) -> c.with(Maintain.class, m -> m.withRetainDays(v)))))),
                b.cmd("statement").text("write usage statements of a month from the Delta tables: an HTML page per site, their shared script and a sortable index.html (with --site: one self-contained page)")
                        .action((v, c) -> c.withCommand(Statement.NEW))
                        .children(Scopt.seq(List.of(
                                b.opt("warehouse", reads.location()).required().valueName("DIR")
                                        .text("warehouse root of the Delta tables (read only)")
                                        .action((v, c) -> c.with(Statement.class, s -> s.withWarehouse(v))),
                                o.month(Statement.class, Statement::withMonth, "billing month"),
                                b.opt("site", reads.text()).valueName("SITE_ID")
                                        .text("only this site (default: every site of the month)")
                                        .action((v, c) -> c.with(Statement.class, s -> s.withSite(v))),
                                b.opt("out", reads.path()).required().valueName("DIR")
                                        .text("folder to write (replaced whole if it holds an earlier statement)")
                                        .action((v, c) -> c.with(Statement.class, s -> s.withOut(v)))))),
                b.cmd("demo").text("run the pipeline over data-samples/ into ./warehouse and print the sample month's invoice lines")
                        .action((v, c) -> c.withCommand(new Demo())),
                b.cmd("pseudonym").text("print the pseudonym stored for an end user of a site, to answer a billing dispute")
                        .action((v, c) -> c.withCommand(Pseudonym.NEW))
                        .children(Scopt.seq(List.of(
                                b.opt("site", reads.text()).required().valueName("SITE_ID")
                                        .action((v, c) -> c.with(Pseudonym.class, p -> p.withSite(v))),
                                b.opt("consumer", reads.text()).required().valueName("CONSUMER_ID")
                                        .action((v, c) -> c.with(Pseudonym.class, p -> p.withConsumer(v))),
                                o.keyFile(Pseudonym.class, Pseudonym::withKeyFile)))),
                b.note("\nMaintainers' tools (" + String.join(", ", TOOLS) + ") are not part of the application: jobs/billing runs "
                        + "them from src/tools (jobs/billing generate --help)."),
                b.checkConfig(c -> c.command().isEmpty()
                        ? scala.util.Left.apply("no command given: use " + String.join(", ", COMMANDS.subList(0, COMMANDS.size() - 1))
                                + " or " + COMMANDS.get(COMMANDS.size() - 1))
                        : scala.util.Right.apply(scala.runtime.BoxedUnit.UNIT))
        )));
    }

    /** Options that several commands take, each setting its command's field. */
    private record Options(OParserBuilder<CliOptions> b, Scopt.Reads reads) {
        <T extends Command> OParser<?, CliOptions> input(Class<T> type, BiFunction<T, Location, T> set) {
            return b.opt("input", reads.location()).required().valueName("DIR")
                    .text("input root holding messages/, sites/, site_plans/, cobrowse_sessions/, function_invocations/: a local folder "
                            + "or a Hadoop URI (s3a://bucket/dir, hdfs://namenode:8020/dir)")
                    .action((v, c) -> c.with(type, t -> set.apply(t, v)));
        }

        <T extends Command> OParser<?, CliOptions> warehouse(Class<T> type, BiFunction<T, Location, T> set) {
            return b.opt("warehouse", reads.location()).required().valueName("DIR")
                    .text("warehouse root of the Delta tables (created if missing): a local folder or a Hadoop URI")
                    .action((v, c) -> c.with(type, t -> set.apply(t, v)));
        }

        <T extends Command> OParser<?, CliOptions> month(Class<T> type, BiFunction<T, YearMonth, T> set, String text) {
            return b.opt("month", reads.month("--month")).required().valueName("YYYY-MM").text(text)
                    .action((v, c) -> c.with(type, t -> set.apply(t, v)));
        }

        <T extends Command> OParser<?, CliOptions> asOf(Class<T> type, BiFunction<T, Instant, T> set) {
            return b.opt("as-of", reads.instant("--as-of")).valueName("INSTANT")
                    .text("cutoff, ISO-8601 with Z or an offset (2026-12-01T00:00:00Z): events more than a day after it are "
                            + "quarantined TIMESTAMP_OUT_OF_RANGE (default: the run's start). Same inputs and --as-of, same tables")
                    .action((v, c) -> c.with(type, t -> set.apply(t, v)));
        }

        <T extends Command> OParser<?, CliOptions> plans(Class<T> type, BiFunction<T, Location, T> set) {
            return b.opt("plans", reads.location()).valueName("FILE")
                    .text("plan catalog JSON (default: the bundled Starter card, version 2020-09-04)")
                    .action((v, c) -> c.with(type, t -> set.apply(t, v)));
        }

        <T extends Command> OParser<?, CliOptions> keyFile(Class<T> type, BiFunction<T, Location, T> set) {
            return b.opt("pseudonym-key-file", reads.location()).valueName("FILE")
                    .text("file outside the repository holding the pseudonym key (default: $BILLING_PSEUDONYM_KEY)")
                    .action((v, c) -> c.with(type, t -> set.apply(t, v)));
        }
    }
}
