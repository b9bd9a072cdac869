package com.darbilling.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scopt.OEffect;
import scopt.OParser;
import scopt.OParser$;
import scopt.OParserBuilder;
import scopt.Read$;

/** The scopt grammar of jobs/billing. scopt is a Scala DSL: it stays inside this package. */
final class CommandLine {
    static final String PROGRAM = "billing";

    /** What parsing produced: options to run, or text to print and an exit code. */
    record Parsed(Optional<CliOptions> options, List<String> out, List<String> errors) {
    }

    private CommandLine() {
    }

    static Parsed parse(String[] args) {
        Tuple2<Option<CliOptions>, scala.collection.immutable.List<OEffect>> result =
                OParser$.MODULE$.runParser(parser(), seq(Arrays.asList(args)), new CliOptions());
        List<String> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean terminate = false;
        for (OEffect effect : JavaConverters.seqAsJavaList(result._2())) {
            if (effect instanceof OEffect.DisplayToOut e) {
                out.add(e.msg());
            } else if (effect instanceof OEffect.ReportError e) {
                errors.add(e.msg());
            } else if (effect instanceof OEffect.ReportWarning e) {
                errors.add("warning: " + e.msg());
            } else if (effect instanceof OEffect.Terminate) {
                terminate = true;
            }
        }
        if (terminate) {
            return new Parsed(Optional.empty(), out, List.of());
        }
        Optional<CliOptions> options = result._1().isEmpty() ? Optional.empty() : Optional.of(result._1().get());
        return new Parsed(options, out, errors);
    }

    static String usage() {
        return OParser$.MODULE$.usage(parser());
    }

    private static OParser<?, CliOptions> parser() {
        OParserBuilder<CliOptions> b = OParser$.MODULE$.builder();
        OParser<?, CliOptions> input = b.opt("input", Read$.MODULE$.stringRead()).required().valueName("DIR")
                .text("input root holding messages/, sites/, site_plans/, cobrowse_sessions/, function_invocations/")
                .action((v, c) -> set(c, () -> c.input = v));
        OParser<?, CliOptions> warehouse = b.opt("warehouse", Read$.MODULE$.stringRead()).required().valueName("DIR")
                .text("warehouse root of the Delta tables (created if missing)")
                .action((v, c) -> set(c, () -> c.warehouse = v));
        OParser<?, CliOptions> plans = b.opt("plans", Read$.MODULE$.stringRead()).valueName("FILE")
                .text("plan catalog JSON (default: the bundled Starter card, version 2020-09-04)")
                .action((v, c) -> set(c, () -> c.plans = v));

        OParser<?, CliOptions> asOf = b.opt("as-of", Read$.MODULE$.stringRead()).valueName("INSTANT")
                .text("cutoff, ISO-8601 with Z or an offset (2026-12-01T00:00:00Z): events more than a day after it are "
                        + "quarantined TIMESTAMP_OUT_OF_RANGE (default: the run's start). Same inputs and --as-of, same tables")
                .action((v, c) -> set(c, () -> c.asOf = v));
        OParser<?, CliOptions> keyFile = b.opt("pseudonym-key-file", Read$.MODULE$.stringRead()).valueName("FILE")
                .text("file outside the repository holding the pseudonym key (default: $BILLING_PSEUDONYM_KEY)")
                .action((v, c) -> set(c, () -> c.keyFile = v));

        OParser<?, CliOptions> messages = b.opt("messages", Read$.MODULE$.stringRead()).valueName("N")
                .text("messages in the month (default 2000000)")
                .action((v, c) -> set(c, () -> c.messages = number(v, "--messages")));
        OParser<?, CliOptions> sites = b.opt("sites", Read$.MODULE$.stringRead()).valueName("S").text("sites (default 200)")
                .action((v, c) -> set(c, () -> c.sites = (int) number(v, "--sites")));
        OParser<?, CliOptions> seed = b.opt("seed", Read$.MODULE$.stringRead()).valueName("K")
                .text("generator seed (default 42): another seed, another input")
                .action((v, c) -> set(c, () -> c.seed = number(v, "--seed")));
        OParser<?, CliOptions> work = b.opt("work", Read$.MODULE$.stringRead()).required().valueName("DIR")
                .text("scratch folder: generated input and warehouses are written over")
                .action((v, c) -> set(c, () -> c.out = v));

        return OParser$.MODULE$.sequence(b.programName(PROGRAM), seq(List.of(
                b.head(seq(List.of(PROGRAM, "- Daily Active Relationship billing: DARs, credits and invoice lines in Delta"))),
                b.opt("master", Read$.MODULE$.stringRead()).valueName("URL")
                        .text("Spark master (default local[*], or what spark-submit set)")
                        .action((v, c) -> set(c, () -> c.master = v)),
                b.opt("conf", Read$.MODULE$.stringRead()).unbounded().valueName("key=value")
                        .text("a Spark setting, repeatable")
                        .action((v, c) -> set(c, () -> c.rawConf.add(v))),
                b.opt("verbose", Read$.MODULE$.unitRead()).text("print a failed run's stack trace on stderr too (it is always in the log)")
                        .action((v, c) -> set(c, () -> c.verbose = true)),
                b.help("help").text("print this usage"),
                b.cmd("reprocess").text("compute one billing month from the raw inputs and replace that month in the output tables")
                        .action((v, c) -> set(c, () -> c.command = "reprocess"))
                        .children(seq(List.of(input, warehouse,
                                b.opt("month", Read$.MODULE$.stringRead()).required().valueName("YYYY-MM")
                                        .text("billing month").action((v, c) -> set(c, () -> c.month = v)),
                                asOf, plans, keyFile))),
                b.cmd("nightly").text("merge every raw file that arrived since the last run (or, with --date, the files of one UTC date) and re-rate the months and sites they touch")
                        .action((v, c) -> set(c, () -> c.command = "nightly"))
                        .children(seq(List.of(input, warehouse,
                                b.opt("date", Read$.MODULE$.stringRead()).valueName("YYYY-MM-DD")
                                        .text("process the event_date partitions of this UTC date only").action((v, c) -> set(c, () -> c.date = v)),
                                asOf, plans, keyFile))),
                b.cmd("close").text("mark the month's DRAFT invoice lines FINAL; later changes make a new version")
                        .action((v, c) -> set(c, () -> c.command = "close"))
                        .children(seq(List.of(warehouse,
                                b.opt("month", Read$.MODULE$.stringRead()).required().valueName("YYYY-MM")
                                        .text("billing month to close").action((v, c) -> set(c, () -> c.month = v))))),
                b.cmd("statement").text("write usage statements of a month from the Delta tables: one self-contained HTML page per site and a sortable index.html")
                        .action((v, c) -> set(c, () -> c.command = "statement"))
                        .children(seq(List.of(
                                b.opt("warehouse", Read$.MODULE$.stringRead()).required().valueName("DIR")
                                        .text("warehouse root of the Delta tables (read only)").action((v, c) -> set(c, () -> c.warehouse = v)),
                                b.opt("month", Read$.MODULE$.stringRead()).required().valueName("YYYY-MM")
                                        .text("billing month").action((v, c) -> set(c, () -> c.month = v)),
                                b.opt("site", Read$.MODULE$.stringRead()).valueName("SITE_ID")
                                        .text("only this site (default: every site of the month)").action((v, c) -> set(c, () -> c.site = v)),
                                b.opt("out", Read$.MODULE$.stringRead()).required().valueName("DIR")
                                        .text("folder to write (replaced whole if it holds an earlier statement)")
                                        .action((v, c) -> set(c, () -> c.out = v))))),
                b.cmd("demo").text("run the pipeline over data-samples/ into ./warehouse and print the sample month's invoice lines")
                        .action((v, c) -> set(c, () -> c.command = "demo")),
                b.cmd("pseudonym").text("print the pseudonym stored for an end user of a site, to answer a billing dispute")
                        .action((v, c) -> set(c, () -> c.command = "pseudonym"))
                        .children(seq(List.of(
                                b.opt("site", Read$.MODULE$.stringRead()).required().valueName("SITE_ID")
                                        .action((v, c) -> set(c, () -> c.site = v)),
                                b.opt("consumer", Read$.MODULE$.stringRead()).required().valueName("CONSUMER_ID")
                                        .action((v, c) -> set(c, () -> c.consumer = v)),
                                keyFile))),
                b.cmd("generate").text("write a synthetic input root for one month (benchmarks, load tests)")
                        .action((v, c) -> set(c, () -> c.command = "generate"))
                        .children(seq(List.of(
                                b.opt("out", Read$.MODULE$.stringRead()).required().valueName("DIR").text("input root to (over)write")
                                        .action((v, c) -> set(c, () -> c.out = v)),
                                messages, sites,
                                b.opt("month", Read$.MODULE$.stringRead()).required().valueName("YYYY-MM")
                                        .action((v, c) -> set(c, () -> c.month = v)),
                                seed))),
                b.cmd("benchmark-nightly").text("time nightly runs on day 2, day 28 and with no new data of a generated month; table and CSV")
                        .action((v, c) -> set(c, () -> c.command = "benchmark-nightly"))
                        .children(seq(List.of(work, messages, sites, seed))),
                b.cmd("benchmark").text("generate a month, then time our reprocess (end to end), nightly runs, DuckDB and naive Spark on it; table and CSV")
                        .action((v, c) -> set(c, () -> c.command = "benchmark"))
                        .children(seq(List.of(work, messages, sites, seed))),
                b.cmd("build-samples").text("maintainers: build the Parquet input root of data-samples/ from its CSV source")
                        .action((v, c) -> set(c, () -> c.command = "build-samples"))
                        .children(seq(List.of(
                                b.opt("source", Read$.MODULE$.stringRead()).required().valueName("DIR")
                                        .text("folder of the CSV source (data-samples/source)")
                                        .action((v, c) -> set(c, () -> c.source = v)),
                                b.opt("out", Read$.MODULE$.stringRead()).required().valueName("DIR")
                                        .text("input root to (over)write (data-samples/input)")
                                        .action((v, c) -> set(c, () -> c.out = v))))),
                b.checkConfig(c -> c.command == null
                        ? scala.util.Left.apply("no command given: use reprocess, nightly, close, statement, demo, pseudonym or build-samples")
                        : scala.util.Right.apply(scala.runtime.BoxedUnit.UNIT))
        )));
    }

    private static long number(String text, String option) {
        try {
            long n = Long.parseLong(text);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a positive whole number, found '" + text + "'");
        }
    }

    private static CliOptions set(CliOptions c, Runnable assignment) {
        assignment.run();
        return c;
    }

    @SuppressWarnings("unchecked")
    private static <T> Seq<T> seq(List<? extends T> items) {
        return (Seq<T>) JavaConverters.asScalaBuffer(new ArrayList<>(items)).toList();
    }
}
