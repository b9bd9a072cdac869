package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.darbilling.cli.MainRunner;
import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.TableSpec;
import com.darbilling.storage.Location;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nightly and reprocess, two roads to one answer, under a random sequence of changes to an input
 * root: new files, late files into old partitions, files rewritten in place or deleted, co-browse
 * and Function files (ids that come again, across months too), a site's zone row landing late, a
 * zone corrected, a plan assignment changed, a rate card added. September is closed (FINAL) after
 * the first night. After each change, {@code nightly}; when it exits 3 it names the reprocesses
 * that apply the change, and those of open months are run, as an operator would. At the end every
 * billing table equals one {@code reprocess} of each month on the final root, in a new warehouse,
 * but for the closed month: where anything of it differs from that reprocess, a run after the
 * close listed it in unbilled_changes. November is in progress at the cutoff, so usage projections
 * are compared too. A failure names the seed and the steps.
 *
 * <p>The suite runs the seeds of {@link #seeds}; {@code -Dsequence.seeds=1,2,3} (see
 * {@code jobs/nightly-sequence}) runs others.
 */
class NightlySequenceTest {
    private static final String KEY = "test-key-0123456789abcdef";
    /** November is in progress at this cutoff (every message is before it): the runs project it (usage_projections). */
    private static final String AS_OF = "2026-11-02T00:00:00Z";
    private static final Map<String, String> ENV = Map.of("BILLING_PSEUDONYM_KEY", KEY);
    private static final Pattern NAMED_REPROCESS = Pattern.compile("jobs/billing reprocess --month (\\d{4}-\\d{2})");
    private static final List<String> ZONES = List.of("UTC", "America/New_York", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Honolulu");
    private static final String STARTER = """
            {"plan_id": "starter", "version": "2020-09-04", "effective_from": "2020-09-04", "included_dar": 4,
             "overage_block_size": 2, "overage_block_price": 1.00, "currency": "USD", "credits_per_dar": 1,
             "intent_manager_credits_per_dar": 0.2, "cobrowse_credits_per_session": 1,
             "functions_free_invocations": 150000, "functions_block_size": 250, "functions_credits_per_block": 1,
             "max_platform_users": 10}""";
    private static final String STARTER_V2 = """
            {"plan_id": "starter", "version": "2026-10-01", "effective_from": "2026-10-01", "included_dar": 2,
             "overage_block_size": 1, "overage_block_price": 3.00, "currency": "USD", "credits_per_dar": 1,
             "intent_manager_credits_per_dar": 0.2, "cobrowse_credits_per_session": 1,
             "functions_free_invocations": 150000, "functions_block_size": 250, "functions_credits_per_block": 1,
             "max_platform_users": 10}""";

    private enum Change { NEW_FILE, LATE_FILE, REWRITE, DELETE, ZONE_LATE, ZONE_CORRECTED, PLAN_CHANGED, CARD_ADDED, NEW_USAGE }

    private static final List<Change> DRAW = List.of(Change.NEW_FILE, Change.NEW_FILE, Change.NEW_FILE, Change.LATE_FILE,
            Change.LATE_FILE, Change.REWRITE, Change.DELETE, Change.ZONE_LATE, Change.ZONE_CORRECTED, Change.PLAN_CHANGED,
            Change.CARD_ADDED, Change.NEW_USAGE, Change.NEW_USAGE);
    /**
     * Closed (FINAL) after the first night: the operator leaves it as billed (a reprocess of it would be version n+1),
     * and nightly must list each later change of its usage in unbilled_changes.
     */
    private static final String CLOSED = "2026-09";
    /** Messages fall on the days from this one to 1 November (UTC): six September days, so later changes reach the closed month. */
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 9, 25);
    private static final int DAYS = 38;

    @TempDir
    Path tmp;

    static Stream<Long> seeds() {
        String given = System.getProperty("sequence.seeds", "");
        if (!given.isBlank()) {
            return Arrays.stream(given.split(",")).map(String::trim).map(Long::parseLong);
        }
        return Stream.of(7L);
    }

    /** One sequence: its root, its random source, the zone and plan rows so far, and the steps taken. */
    private final class Sequence {
        final Random random;
        final Path input = tmp.resolve("input");
        final Path warehouse = tmp.resolve("warehouse");
        final Path catalog = tmp.resolve("catalog.json");
        final Map<String, String> zones = new TreeMap<>();
        final Map<String, Boolean> intentManager = new TreeMap<>();
        final List<String> steps = new ArrayList<>();
        final TreeSet<LocalDate> days = new TreeSet<>();
        int messages;
        boolean closed;

        final long seed;

        Sequence(long seed) {
            this.seed = seed;
            random = new Random(seed);
            zones.put("a", "UTC");
            zones.put("b", "America/New_York");
            // c has messages and a plan from the start, but no zone row until a ZONE_LATE step.
            for (String site : List.of("a", "b", "c")) {
                intentManager.put(site, false);
            }
            write(catalog, "[" + STARTER + "]");
            // A message in September, so that the month closed after the first night was rated, and one in November, the
            // month in progress at the cutoff (projected).
            List<Row> first = new ArrayList<>(messages(3));
            first.add(consumer("m-0", "a", "u-0", "2026-09-27T12:00:00Z"));
            first.add(consumer("m-00", "b", "u-0", "2026-11-01T18:00:00Z"));
            days.add(LocalDate.of(2026, 9, 27));
            days.add(LocalDate.of(2026, 11, 1));
            InputRoots.withMessages(input, first, siteRows(), planRows());
        }

        /** {@code n} messages of random sites, end users and instants from {@link #FIRST_DAY} to 1 November (UTC). */
        List<Row> messages(int n) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LocalDate day = FIRST_DAY.plusDays(random.nextInt(DAYS));
                Instant at = day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(86_400));
                days.add(day);
                rows.add(consumer("m-" + (++messages), List.of("a", "b", "c").get(random.nextInt(3)), "u-" + random.nextInt(6),
                        at.toString()));
            }
            return rows;
        }

        Instant randomInstant() {
            return FIRST_DAY.plusDays(random.nextInt(DAYS)).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(86_400));
        }

        List<Row> siteRows() {
            return zones.entrySet().stream().map(e -> site(e.getKey(), e.getValue())).toList();
        }

        List<Row> planRows() {
            return intentManager.entrySet().stream().map(e -> plan(e.getKey(), "starter", null, null, e.getValue())).toList();
        }

        void apply(Change change) {
            List<Path> files = messageFiles();
            switch (change) {
                case NEW_FILE -> append(messages(1 + random.nextInt(4)));
                case LATE_FILE -> {
                    // Into a partition written before: the same instants' days, a late delivery of one or two rows.
                    List<Row> late = new ArrayList<>();
                    LocalDate day = days.isEmpty() ? LocalDate.of(2026, 10, 10) : List.copyOf(days).get(random.nextInt(days.size()));
                    for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                        late.add(consumer("m-" + (++messages), List.of("a", "b", "c").get(random.nextInt(3)), "u-" + random.nextInt(6),
                                day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(86_400)).toString()));
                    }
                    append(late);
                }
                case REWRITE -> {
                    Path file = files.get(random.nextInt(files.size()));
                    LocalDate day = LocalDate.parse(file.getParent().getFileName().toString().substring((Inputs.EVENT_DATE + "=").length()));
                    List<Row> rows = new ArrayList<>();
                    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                        Row row = consumer("m-" + (++messages), List.of("a", "b", "c").get(random.nextInt(3)), "u-" + random.nextInt(6),
                                day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(86_400)).toString());
                        // Inside its event_date folder, a file has no event_date column.
                        rows.add(RowFactory.create(Arrays.copyOf(toArray(row), row.length() - 1)));
                    }
                    rewrite(file, rows);
                    steps.add(change + " " + input.relativize(file));
                    return;
                }
                case DELETE -> {
                    Path file = files.get(random.nextInt(files.size()));
                    delete(file);
                    steps.add(change + " " + input.relativize(file));
                    return;
                }
                case ZONE_LATE -> {
                    if (zones.containsKey("c")) {
                        append(messages(1));
                        steps.add(change + " (c has its zone row): NEW_FILE");
                        return;
                    }
                    zones.put("c", ZONES.get(random.nextInt(ZONES.size())));
                    InputRoots.appendSites(input, List.of(site("c", zones.get("c"))));
                    steps.add(change + " c " + zones.get("c"));
                    return;
                }
                case ZONE_CORRECTED -> {
                    String site = List.copyOf(zones.keySet()).get(random.nextInt(zones.size()));
                    zones.put(site, ZONES.get(random.nextInt(ZONES.size())));
                    InputRoots.replaceSites(input, siteRows());
                    steps.add(change + " " + site + " " + zones.get(site));
                    return;
                }
                case PLAN_CHANGED -> {
                    String site = List.of("a", "b", "c").get(random.nextInt(3));
                    intentManager.put(site, !intentManager.get(site));
                    InputRoots.replacePlans(input, planRows());
                    steps.add(change + " " + site + " intent_manager " + intentManager.get(site));
                    return;
                }
                case CARD_ADDED -> write(catalog, "[" + STARTER + "," + STARTER_V2 + "]");
                case NEW_USAGE -> {
                    // A file of co-browse sessions and one of Function invocations; ids from a small pool, so that an id
                    // comes again, in the same month or another (it counts once, in the month of its earliest copy).
                    String session = "cb-" + random.nextInt(4);
                    String invocation = "inv-" + random.nextInt(4);
                    String site = List.of("a", "b", "c").get(random.nextInt(3));
                    InputRoots.appendEvents(input, EventSource.COBROWSE_SESSIONS,
                            List.of(RowFactory.create(session, site, randomInstant(), random.nextBoolean())));
                    InputRoots.appendEvents(input, EventSource.FUNCTION_INVOCATIONS,
                            List.of(RowFactory.create(invocation, site, "fn-1", randomInstant())));
                    steps.add(change + " " + session + " " + invocation + " " + site);
                    return;
                }
            }
            steps.add(change.toString());
        }

        void close() {
            MainRunner.Outcome close = MainRunner.run(ENV, "close", "--warehouse", warehouse.toString(), "--month", CLOSED);
            if (close.exit() != 0) {
                failed("close exited " + close.exit(), close);
            }
            closed = true;
            steps.add("CLOSE " + CLOSED);
        }

        void append(List<Row> rows) {
            InputRoots.appendMessages(input, rows);
        }

        List<Path> messageFiles() {
            try (Stream<Path> files = Files.walk(input.resolve(Inputs.MESSAGES))) {
                return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void rewrite(Path file, List<Row> rows) {
            Path scratch = tmp.resolve("scratch-" + messages);
            InputRoots.write(scratch, TestSpark.session().createDataFrame(rows, EventSource.MESSAGES.schema()), false);
            try (Stream<Path> written = Files.list(scratch)) {
                Path parquet = written.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
                delete(file);
                Files.copy(parquet, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void delete(Path file) {
            try {
                Files.delete(file);
                Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** nightly; on exit 3, the reprocesses it names of months not closed (a closed month stays as billed). */
        void nightly() {
            MainRunner.Outcome night = MainRunner.run(ENV, "nightly", "--input", input.toString(), "--warehouse", warehouse.toString(),
                    "--as-of", AS_OF, "--plans", catalog.toString());
            if (night.exit() == 3) {
                Matcher named = NAMED_REPROCESS.matcher(night.out());
                TreeSet<String> months = new TreeSet<>();
                while (named.find()) {
                    months.add(named.group(1));
                }
                if (months.isEmpty()) {
                    failed("nightly exited 3 without naming a reprocess", night);
                }
                if (closed) {
                    months.remove(CLOSED);
                }
                for (String month : months) {
                    reprocess(warehouse, month, "operator's reprocess " + month);
                }
            } else if (night.exit() != 0) {
                failed("nightly exited " + night.exit(), night);
            }
        }

        void reprocess(Path into, String month, String what) {
            MainRunner.Outcome run = MainRunner.run(ENV, "reprocess", "--input", input.toString(), "--warehouse", into.toString(),
                    "--month", month, "--as-of", AS_OF, "--plans", catalog.toString());
            if (run.exit() != 0) {
                failed(what + " exited " + run.exit(), run);
            }
        }

        void failed(String what, MainRunner.Outcome outcome) {
            fail("seed " + seed + ", steps " + steps + ": " + what + "\n" + outcome.err() + "\n" + outcome.out());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void afterEveryChangeAndNightlyTheWarehouseEqualsOneReprocessPerMonth(long seed) {
        Sequence sequence = new Sequence(seed);
        sequence.nightly();
        sequence.close();
        for (int step = 0; step < 6; step++) {
            sequence.apply(DRAW.get(sequence.random.nextInt(DRAW.size())));
            sequence.nightly();
        }
        // Instants from 25 September to 1 November (UTC): local dates and partitions in these three months.
        Path reference = tmp.resolve("reference");
        for (String month : List.of("2026-09", "2026-10", "2026-11")) {
            sequence.reprocess(reference, month, "the reference reprocess of " + month);
        }
        System.out.println("NightlySequenceTest seed " + seed + ": " + sequence.steps);
        String steps = "seed " + seed + ", steps " + sequence.steps;
        // A closed month is not compared: nightly leaves its invoice lines as closed, and a change of its reference data
        // is only named (its DARs too stay until the reprocess that bills version n+1). Every other month is compared whole.
        Column open = sequence.closed ? col(Columns.BILLING_MONTH).isNull().or(col(Columns.BILLING_MONTH).notEqual(CLOSED)) : lit(true);
        Warehouses.assertSameTables(Location.of(reference), Location.of(sequence.warehouse), steps, everyTable(open));
        assertTrue(new DeltaWriter(TestSpark.session(), Location.of(reference)).read(OutputTables.USAGE_PROJECTIONS)
                .where(col(Columns.BILLING_MONTH).equalTo("2026-11")).count() > 0, "November is projected at " + AS_OF);
        if (sequence.closed) {
            closedMonthListsItsDifference(seed, reference, sequence.warehouse, steps);
        }
    }

    private static Map<TableSpec, Column> everyTable(Column rows) {
        return Warehouses.COMPARED.stream().collect(Collectors.toMap(t -> t, t -> rows));
    }

    /**
     * The closed month against one reprocess of it: where they differ (its invoice lines as billed, its DARs, usage or
     * state as they stand), a run after the close listed the month in unbilled_changes.
     */
    private static void closedMonthListsItsDifference(long seed, Path reference, Path warehouse, String steps) {
        Set<String> billed = billedLines(warehouse);
        Set<String> now = billedLines(reference);
        String usage = "";
        try {
            Map<TableSpec, Column> closedRows = new java.util.HashMap<>(everyTable(col(Columns.BILLING_MONTH).equalTo(CLOSED)));
            closedRows.put(OutputTables.INVOICE_LINES, lit(false));
            closedRows.put(OutputTables.PLAN_SEGMENTS, lit(false));
            Warehouses.assertSameTables(Location.of(reference), Location.of(warehouse), CLOSED, closedRows);
        } catch (AssertionError e) {
            usage = e.getMessage().lines().findFirst().orElse("");
        }
        boolean same = billed.equals(now) && usage.isEmpty();
        long listed = new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.RUNS)
                .where(col("unbilled_changes").contains(CLOSED)).count();
        System.out.println("NightlySequenceTest seed " + seed + ": " + CLOSED + (same ? " as one reprocess gives it"
                : " differs from one reprocess (" + (billed.equals(now) ? "" : "invoice lines; ") + usage + ")")
                + "; runs listing it unbilled: " + listed);
        assertTrue(same || listed > 0, steps + ": " + CLOSED + " differs from one reprocess of it (billed " + billed + ", reprocess "
                + now + "; " + usage + "), and no run listed it in unbilled_changes");
    }

    /** The month's invoice lines as money: site, line type, quantity and amount (version and status aside). */
    private static Set<String> billedLines(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.INVOICE_LINES)
                .where(col(Columns.BILLING_MONTH).equalTo(CLOSED)).collectAsList().stream()
                .map(r -> r.getAs(Columns.SITE_ID) + " " + r.getAs("line_type") + " " + ((BigDecimal) r.getAs("quantity")).stripTrailingZeros()
                        + " " + (r.getAs("amount") == null ? "-" : ((BigDecimal) r.getAs("amount")).stripTrailingZeros().toPlainString()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Object[] toArray(Row row) {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
