package com.darbilling.cli;

import com.darbilling.storage.Location;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scopt.OEffect;
import scopt.OParser;
import scopt.OParser$;
import scopt.Read;
import scopt.Read$;

/**
 * Running a scopt grammar from Java, and its typed reads. scopt is a Scala DSL: the command lines (this
 * package, and the maintainers' tools, which reuse it) are the only code that sees it.
 */
public final class Scopt {
    /** What parsing produced: a configuration to run, or text to print and errors. */
    public record Parsed<C>(Optional<C> config, List<String> out, List<String> errors) {
    }

    private Scopt() {
    }

    /**
     * Parses {@code args}. A value that a typed read refuses is a {@link UsageException} with the read's
     * own message (scopt would wrap it in "Option --x failed when given ...").
     */
    public static <C> Parsed<C> parse(Function<Reads, OParser<?, C>> grammar, String[] args, C initial) {
        Reads reads = new Reads();
        Tuple2<Option<C>, scala.collection.immutable.List<OEffect>> result =
                OParser$.MODULE$.runParser(grammar.apply(reads), seq(Arrays.asList(args)), initial);
        if (!reads.refused.isEmpty()) {
            throw new UsageException(reads.refused.get(0));
        }
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
            return new Parsed<>(Optional.empty(), out, List.of());
        }
        return new Parsed<>(result._1().isEmpty() ? Optional.empty() : Optional.of(result._1().get()), out, errors);
    }

    @SuppressWarnings("unchecked")
    public static <T> Seq<T> seq(List<? extends T> items) {
        return (Seq<T>) JavaConverters.asScalaBuffer(new ArrayList<>(items)).toList();
    }

    /** Typed reads of option values; a refused value keeps its one-line message for the error. */
    public static final class Reads {
        private final List<String> refused = new ArrayList<>();

        private Reads() {
        }

        public Read<String> text() {
            return Read$.MODULE$.stringRead();
        }

        public Read<Path> path() {
            return read(Path::of, text -> null);
        }

        /** A local path or a Hadoop URI (s3a://bucket/dir, hdfs://namenode:8020/dir). */
        public Read<Location> location() {
            return read(Location::of, text -> null);
        }

        public Read<YearMonth> month(String option) {
            return read(YearMonth::parse, text -> option + " expects YYYY-MM, found '" + text + "'");
        }

        public Read<LocalDate> date(String option) {
            return read(LocalDate::parse, text -> option + " expects YYYY-MM-DD, found '" + text + "'");
        }

        /** An ISO-8601 instant with Z or an offset; a local date-time without one is ambiguous and refused. */
        public Read<Instant> instant(String option) {
            return read(text -> OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
                    text -> option + " expects an ISO-8601 instant with Z or an offset (2026-12-01T00:00:00Z), found '" + text + "'");
        }

        public Read<Long> positive(String option) {
            return read(text -> {
                long n = Long.parseLong(text);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            }, text -> option + " expects a positive whole number, found '" + text + "'");
        }

        /** {@code parse}, or the message of {@code refusal} when it throws ({@code null}: scopt's own message). */
        private <T> Read<T> read(Function<String, T> parse, Function<String, String> refusal) {
            return Read$.MODULE$.reads(text -> {
                try {
                    return parse.apply(text);
                } catch (DateTimeParseException | IllegalArgumentException e) {
                    String message = refusal.apply(text);
                    if (message != null) {
                        refused.add(message);
                    }
                    throw e;
                }
            });
        }
    }
}
