package com.darbilling.tools;

import com.darbilling.cli.Scopt;
import com.darbilling.cli.UsageException;
import com.darbilling.session.SparkSessions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import scopt.OParser;
import scopt.OParser$;
import scopt.OParserBuilder;

/**
 * Entry point of the maintainers' tools, which never ship in the application jar: jobs/billing runs
 * {@code generate}, {@code benchmark}, {@code benchmark-nightly} and {@code build-samples} here, with
 * target/test-classes on the class path. Exit 0 on success, 2 for a command line that cannot run, 1 when
 * a tool fails.
 */
public final class Tools {
    static final String PROGRAM = "billing";

    /** One tool with its options; {@link #run} is its branch of the dispatch. */
    sealed interface Tool permits Generate, Benchmark, BenchmarkNightly, BuildSamples {
        /** Its name on the command line. */
        default String name() {
            return getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }

        void run(SparkSession spark, PrintStream out) throws Exception;
    }

    /** Sizes of a generated month (defaults: 2,000,000 messages, 200 sites, seed 42, 2026-10). */
    record Month(long messages, int sites, long seed, YearMonth month) {
        static final Month DEFAULT = new Month(2_000_000, 200, 42, YearMonth.of(2026, 10));
    }

    record Generate(Path out, Month month) implements Tool {
        @Override
        public void run(SparkSession spark, PrintStream stdout) {
            Path root = out.toAbsolutePath();
            new InputGenerator(spark).generate(root, month.messages(), month.sites(), month.month(), month.seed());
            stdout.println("wrote " + root);
            stdout.println("bill it, whatever today's date: jobs/billing reprocess --input " + root
                    + " --warehouse WAREHOUSE --month " + month.month() + " --as-of " + InputGenerator.completeAsOf(month.month()));
        }
    }

    record Benchmark(Path work, Month month) implements Tool {
        @Override
        public void run(SparkSession spark, PrintStream out) throws Exception {
            MonthBenchmark.requireDuckDb();
            Path home = home();
            MonthBenchmark.run(spark, work.toAbsolutePath(), month.messages(), month.sites(), month.seed(), month.month(), home,
                    home.resolve("target/benchmark-month.csv"), out);
        }
    }

    record BenchmarkNightly(Path work, Month month) implements Tool {
        @Override
        public void run(SparkSession spark, PrintStream out) throws Exception {
            NightlyBenchmark.run(spark, work.toAbsolutePath(), month.messages(), month.sites(), month.seed(), month.month(),
                    home().resolve("target/benchmark-nightly.csv"), out);
        }
    }

    record BuildSamples(Path source, Path out) implements Tool {
        @Override
        public void run(SparkSession spark, PrintStream stdout) {
            new SampleInputBuilder(spark).build(source.toAbsolutePath(), out.toAbsolutePath());
            stdout.println("wrote " + out.toAbsolutePath());
        }
    }

    /** What scopt fills in: the tool (empty until its name is read), the Spark master and --conf settings. */
    record Options(Optional<Tool> tool, Optional<String> master, Map<String, String> conf) {
        static final Options NONE = new Options(Optional.empty(), Optional.empty(), Map.of());

        Options with(Tool t) {
            return new Options(Optional.of(t), master, conf);
        }

        Options withConf(String keyValue) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--conf expects key=value, found '" + keyValue + "'");
            }
            Map<String, String> all = new LinkedHashMap<>(conf);
            all.put(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1).trim());
            return new Options(tool, master, all);
        }
    }

    private Tools() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Scopt.Parsed<Options> parsed;
        try {
            parsed = Scopt.parse(Tools::grammar, args, Options.NONE);
        } catch (UsageException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 2;
        }
        parsed.out().forEach(out::println);
        if (parsed.config().isEmpty()) {
            if (!parsed.errors().isEmpty()) {
                err.println(PROGRAM + ": " + String.join("; ", parsed.errors()) + " (see --help)");
            }
            return parsed.errors().isEmpty() ? 0 : 2;
        }
        Tool tool = parsed.config().get().tool().orElseThrow();
        if (tool instanceof BuildSamples b && !Files.isDirectory(b.source())) {
            err.println(PROGRAM + ": --source: " + b.source() + " does not exist or is not a directory");
            return 2;
        }
        Map<String, String> settings = new LinkedHashMap<>(SampleInputBuilder.SETTINGS);
        settings.putAll(parsed.config().get().conf());
        settings.put("spark.master", parsed.config().get().master().orElse(System.getProperty("spark.master", "local[*]")));
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create("dar-billing " + tool.name(), settings);
        try {
            tool.run(spark, out);
            return 0;
        } catch (Exception e) {
            err.println(PROGRAM + ": error: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    /** The project folder (jobs/billing sets billing.home); the working directory otherwise. */
    /**
     * The machine's zone (TZ, which a plain JVM would take) beside this JVM's: Delta checks more on every commit in a JVM
     * not on UTC, so a benchmark says which it measured.
     */
    static String zones() {
        String tz = System.getenv("TZ");
        return "machine zone: TZ=" + (tz == null ? "(unset)" : tz) + "; JVM zone: " + java.util.TimeZone.getDefault().getID()
                + " (user.timezone=" + System.getProperty("user.timezone") + ")";
    }

    private static Path home() {
        return Path.of(System.getProperty("billing.home", ".")).toAbsolutePath().normalize();
    }

    private static OParser<?, Options> grammar(Scopt.Reads reads) {
        OParserBuilder<Options> b = OParser$.MODULE$.builder();
        OParser<?, Options> messages = b.opt("messages", reads.positive("--messages")).valueName("N")
                .text("messages in the month (default 2000000)")
                .action((v, c) -> c.with(sized(c, m -> new Month(v, m.sites(), m.seed(), m.month()))));
        OParser<?, Options> sites = b.opt("sites", reads.positive("--sites")).valueName("S").text("sites (default 200)")
                .action((v, c) -> c.with(sized(c, m -> new Month(m.messages(), Math.toIntExact(v), m.seed(), m.month()))));
        OParser<?, Options> seed = b.opt("seed", reads.positive("--seed")).valueName("K")
                .text("generator seed (default 42): another seed, another input")
                .action((v, c) -> c.with(sized(c, m -> new Month(m.messages(), m.sites(), v, m.month()))));
        OParser<?, Options> work = b.opt("work", reads.path()).required().valueName("DIR")
                .text("scratch folder: generated input and warehouses are written over")
                .action((v, c) -> c.with(c.tool().orElseThrow() instanceof Benchmark m ? new Benchmark(v, m.month())
                        : new BenchmarkNightly(v, ((BenchmarkNightly) c.tool().orElseThrow()).month())));
        return OParser$.MODULE$.sequence(b.programName(PROGRAM), Scopt.seq(List.of(
                b.head(Scopt.seq(List.of(PROGRAM, "- maintainers' tools of dar-billing (not in the application jar)"))),
                b.opt("master", reads.text()).valueName("URL").text("Spark master (default local[*])")
                        .action((v, c) -> new Options(c.tool(), Optional.of(v), c.conf())),
                b.opt("conf", reads.text()).unbounded().valueName("key=value").text("a Spark setting, repeatable")
                        .action((v, c) -> c.withConf(v)),
                b.help("help").text("print this usage"),
                b.cmd("generate").text("write a synthetic input root for one month (benchmarks, load tests)")
                        .action((v, c) -> c.with(new Generate(null, Month.DEFAULT)))
                        .children(Scopt.seq(List.of(
                                b.opt("out", reads.path()).required().valueName("DIR").text("input root to (over)write")
                                        .action((v, c) -> c.with(new Generate(v, ((Generate) c.tool().orElseThrow()).month()))),
                                messages, sites,
                                b.opt("month", reads.month("--month")).required().valueName("YYYY-MM")
                                        .action((v, c) -> c.with(sized(c, m -> new Month(m.messages(), m.sites(), m.seed(), v)))),
                                seed))),
                b.cmd("benchmark-nightly").text("time nightly runs on day 2, day 28 and with no new data of a generated month; table and CSV")
                        .action((v, c) -> c.with(new BenchmarkNightly(null, Month.DEFAULT)))
                        .children(Scopt.seq(List.of(work, messages, sites, seed))),
                b.cmd("benchmark").text("generate a month, then time our reprocess (end to end), nightly runs, DuckDB and naive Spark on it; table and CSV")
                        .action((v, c) -> c.with(new Benchmark(null, Month.DEFAULT)))
                        .children(Scopt.seq(List.of(work, messages, sites, seed))),
                b.cmd("build-samples").text("maintainers: build the Parquet input root of data-samples/ from its CSV source")
                        .action((v, c) -> c.with(new BuildSamples(null, null)))
                        .children(Scopt.seq(List.of(
                                b.opt("source", reads.path()).required().valueName("DIR")
                                        .text("folder of the CSV source (data-samples/source)")
                                        .action((v, c) -> c.with(new BuildSamples(v, ((BuildSamples) c.tool().orElseThrow()).out()))),
                                b.opt("out", reads.path()).required().valueName("DIR")
                                        .text("input root to (over)write (data-samples/input)")
                                        .action((v, c) -> c.with(new BuildSamples(((BuildSamples) c.tool().orElseThrow()).source(), v)))))),
                b.checkConfig(c -> c.tool().isEmpty()
                        ? scala.util.Left.apply("no tool given: use generate, benchmark, benchmark-nightly or build-samples")
                        : scala.util.Right.apply(scala.runtime.BoxedUnit.UNIT))
        )));
    }

    /** The tool being read, with its month sizes changed. */
    private static Tool sized(Options c, java.util.function.UnaryOperator<Month> change) {
        Tool tool = c.tool().orElseThrow();
        if (tool instanceof Generate g) {
            return new Generate(g.out(), change.apply(g.month()));
        }
        if (tool instanceof Benchmark m) {
            return new Benchmark(m.work(), change.apply(m.month()));
        }
        BenchmarkNightly n = (BenchmarkNightly) tool;
        return new BenchmarkNightly(n.work(), change.apply(n.month()));
    }
}
