package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.dar.Dars;
import com.darbilling.input.Accounting;
import com.darbilling.input.Deduplication;
import com.darbilling.input.EventSource;
import com.darbilling.input.EventValidation;
import com.darbilling.input.InputReader;
import com.darbilling.input.QuarantineRows;
import com.darbilling.input.RawFile;
import com.darbilling.input.ReferenceTable;
import com.darbilling.input.SourceCounts;
import com.darbilling.invoice.VersionPlan;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.privacy.Pseudonyms;
import com.darbilling.rating.SiteMonth;
import com.darbilling.run.Refusal;
import com.darbilling.run.StageTimes;
import com.darbilling.zone.SiteZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The stages of a run: read and validate -> DARs and de-duplicated usage (the month state) ->
 * rating -> invoice lines -> write. {@code reprocess} rebuilds one month's state from the raw
 * inputs; {@code applyBatch} merges new raw files into the state. Both then rate from the state,
 * so any order of arrival converges to what one reprocess gives.
 */
public final class BillingJob {
    private final SparkSession spark;
    private final InputReader reader;
    private final DeltaWriter writer;
    private final MonthRating rating;
    private final PseudonymKey pseudonymKey;
    private final PlanCatalog catalog;
    private final Consumer<String> progress;

    /** @param progress where a line goes as each stage starts and ends */
    public BillingJob(SparkSession spark, InputReader reader, DeltaWriter writer, PlanCatalog catalog, PseudonymKey pseudonymKey,
                      Consumer<String> progress) {
        this.spark = spark;
        this.reader = reader;
        this.writer = writer;
        this.rating = new MonthRating(spark, writer, catalog);
        this.pseudonymKey = pseudonymKey;
        this.catalog = catalog;
        this.progress = progress;
    }

    /**
     * Computes {@code month} from the raw inputs and replaces it, and only it, in every table.
     *
     * @param files            the month's raw files, checked readable and not empty, per input
     * @param sharingIdsBefore {@link #sharingIds} of the month before this run's first write: with the
     *                         site-months sharing an id with the month's new state, they are re-rated
     *                         (a session or invocation counts in the month of its earliest copy)
     */
    public MonthResult reprocess(YearMonth month, Map<EventSource, List<RawFile>> files, String runId, Instant asOf,
                                 Reference reference, Map<YearMonth, Set<String>> sharingIdsBefore) {
        String monthText = month.toString();
        StageTimes times = new StageTimes(progress);
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            Validated validated = readAndValidate(month, files, runId, asOf, reference, times, cached);

            times.start("DARs and month state");
            MonthUsage state = monthState(validated.accepted, false, cached);
            Column inMonth = DeltaWriter.inMonth(monthText);
            writer.replace(OutputTables.QUARANTINE, union(validated.quarantined), inMonth.or(col(Columns.BILLING_MONTH).isNull()));
            writer.replace(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, state.dars(), inMonth);
            long darRows = writer.lastCommitMetric(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, "numOutputRows");
            writer.replace(StateTables.COBROWSE_SESSIONS, state.sessions(), inMonth);
            writer.replace(StateTables.FUNCTION_INVOCATIONS, state.invocations(), inMonth);
            writer.replace(StateTables.PLATFORM_USERS, state.platformUsers(), inMonth);
            for (EventSource source : USAGE) {
                Dataset<Row> written = MonthRating.stateColumns(source, writer.read(StateTables.usageOf(source)).where(inMonth));
                validated.countAsDuplicates(source, Deduplication.withEarlierCopyInAnotherMonth(written,
                        writer.read(StateTables.usageOf(source)), source).count());
            }
            times.end(StageTimes.count(darRows) + " DARs written");

            times.start("rate and write invoice lines");
            MonthRating.Result rated = rating.rateMonth(month, reference.assignments(), runId, progress);
            // Whether the month's copy of an id counts decides whether another month's copy does.
            Map<YearMonth, Set<String>> sharing = union(sharingIdsBefore, sharingIds(month));
            List<MonthRating.Result> others = new ArrayList<>();
            for (var entry : sharing.entrySet()) {
                others.add(rating.rateSites(entry.getKey(), entry.getValue(), reference.assignments(), runId));
            }
            times.end(StageTimes.count(rated.linesWritten().size()) + " invoice lines written"
                    + (sharing.isEmpty() ? "" : ", sites of " + sharing.keySet() + " sharing a session or invocation id re-rated"));
            return new MonthResult(month, validated.counts, rated.darRows(), rated.linesWritten(), rated.unbilledChanges(), others,
                    times.laps());
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * What {@link #reprocess} of {@code month} would write, computed from the same raw files and
     * writing nothing: the month's usage is rated as the Datasets reprocess would write (not read back
     * from the tables), against the invoice lines the warehouse holds now.
     */
    Preview preview(YearMonth month, Map<EventSource, List<RawFile>> files, Instant asOf, Reference reference) {
        StageTimes times = new StageTimes(progress);
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            Validated validated = readAndValidate(month, files, "dry-run", asOf, reference, times, cached);
            times.start("DARs, rating and the current invoice lines");
            MonthRating.Rated rated = rating.rated(month, monthState(validated.accepted, false, cached), Optional.empty(),
                    VersionPlan.FinalMonths.REOPEN, reference.assignments());
            times.end(StageTimes.count(rated.siteMonths().stream().mapToLong(SiteMonth::dars).sum()) + " DARs, "
                    + StageTimes.count(rated.plan().lines().size()) + " invoice lines, nothing written");
            return new Preview(validated.counts, rated);
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /** A month computed by {@link #preview}: the accounting of its inputs and its rating, unwritten. */
    record Preview(List<SourceCounts> counts, MonthRating.Rated rated) {
    }

    /** Reads the month's raw files once, classified: the accepted rows, the quarantine rows and the accounting. */
    private Validated readAndValidate(YearMonth month, Map<EventSource, List<RawFile>> files, String runId, Instant asOf,
                                      Reference reference, StageTimes times, List<Dataset<Row>> cached) {
        String monthText = month.toString();
        times.start("read and validate");
        Validated validated = new Validated(false);
        for (EventSource source : EventSource.values()) {
            Dataset<Row> events = reader.files(source, files.getOrDefault(source, List.of()).stream().map(RawFile::path).toList());
            validated.add(source, events, col(EventValidation.SCOPE_MONTH).equalTo(lit(monthText))
                    .or(col(EventValidation.SCOPE_MONTH).isNull()), monthText, reference, runId, asOf, cached);
        }
        times.end(StageTimes.count(validated.rowsRead()) + " rows read");
        return validated;
    }

    /**
     * Merges the rows of {@code files} into the DARs and the month state, replaces the quarantine
     * rows of {@code batchFiles} (the batch's files: those billed and those set aside, whose rows an
     * earlier attempt may have written), and re-rates the months and sites the rows touched. Every
     * write is idempotent: applying the same files again, after a crash or on purpose, changes nothing.
     */
    public BatchResult applyBatch(List<RawFile> files, List<RawFile> batchFiles, String runId, Instant asOf, Reference reference) {
        StageTimes times = new StageTimes(progress);
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            times.start("read and validate");
            Validated validated = new Validated(true);
            for (EventSource source : EventSource.values()) {
                List<String> paths = files.stream().filter(f -> f.source() == source).map(RawFile::path).toList();
                validated.add(source, reader.files(source, paths), lit(true), "batch", reference, runId, asOf, cached);
            }
            times.end(StageTimes.count(validated.rowsRead()) + " rows read");

            times.start("DARs");
            MonthUsage state = monthState(validated.accepted, true, cached);
            Touched touched = touched(state);
            times.end("usage in " + touched.sites().size() + " billing months, " + touched.dates().size() + " local dates");

            times.start("merge DARs and month state");
            // Every row merged below is usage of a touched month, so the months limit the target files.
            Column inMonths = DeltaWriter.target(Columns.BILLING_MONTH)
                    .isin(touched.sites().keySet().stream().map(YearMonth::toString).toArray());
            Map<YearMonth, Set<String>> rerate = touched.sites();
            // The batch's local dates let Delta skip the files of other days (file statistics): a merge
            // then reads what the new days touch, not the month so far.
            Column onDates = inMonths.and(DeltaWriter.target(Columns.LOCAL_DATE).isin(touched.dates().toArray()));
            writer.replace(OutputTables.QUARANTINE, union(validated.quarantined),
                    col(Columns.INPUT_FILE).isin(batchFiles.stream().map(RawFile::path).toArray()));
            // An input without files in the batch has no rows to merge: its tables get no commit.
            Set<EventSource> present = files.stream().map(RawFile::source).collect(Collectors.toSet());
            long darsInserted = 0;
            if (present.contains(EventSource.MESSAGES)) {
                writer.mergeNew(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, state.dars(), onDates);
                darsInserted = writer.lastCommitMetric(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, "numTargetRowsInserted");
                writer.mergeNew(StateTables.PLATFORM_USERS, state.platformUsers(), inMonths);
            }
            for (EventSource source : USAGE) {
                if (present.contains(source)) {
                    Dataset<Row> rows = MonthRating.stateColumns(source, state.usage(source));
                    // Read before the merge: the site-months holding a copy of the batch's ids in any
                    // month. Whichever copy counts after it, they are re-rated with the batch's own.
                    rerate = union(rerate, siteMonthsHolding(source, rows, lit(true)));
                    TableSpec table = StateTables.usageOf(source);
                    writer.mergeEarliest(table, rows, Deduplication.orderColumns(table.schema().fieldNames(), source, List.of()), inMonths);
                    // A batch's copy of an id with an earlier copy billed in another month is a duplicate.
                    validated.countAsDuplicates(source, Deduplication.ids(rows, source).count()
                            - Deduplication.ids(counted(source, rows), source).count());
                }
            }
            times.end(StageTimes.count(darsInserted) + " new DARs");

            times.start("re-rate touched months");
            List<MonthRating.Result> rated = new ArrayList<>();
            for (var entry : rerate.entrySet()) {
                rated.add(rating.rateSites(entry.getKey(), entry.getValue(), reference.assignments(), runId));
            }
            times.end(StageTimes.count(rated.stream().mapToLong(r -> r.linesWritten().size()).sum()) + " invoice lines written");
            return new BatchResult(validated.counts, List.copyOf(rerate.keySet()), darsInserted, rated, times.laps());
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * Checks the reference data before anything is written: zones, overlapping assignments, and that
     * every assigned plan is in the catalog (with a card in force for {@code month}, when given).
     *
     * @return the reference data as read and checked: the run uses it, rather than reading it again
     */
    public Reference preflight(Optional<YearMonth> month) {
        Reference reference = reference();
        reference.assignments().forEach((site, assignments) -> {
            for (PlanAssignment a : assignments) {
                if (catalog.cards().stream().noneMatch(c -> c.planId().equals(a.planId()))) {
                    throw new IllegalArgumentException("site_plans: site " + site + ": plan " + a.planId() + " is not in the plan catalog");
                }
            }
            month.ifPresent(m -> PlanCalendar.of(site, assignments, m, catalog));
        });
        return reference;
    }

    /** What validation kept, quarantined and counted, input by input. */
    private final class Validated {
        final Map<EventSource, Dataset<Row>> accepted = new EnumMap<>(EventSource.class);
        final List<Dataset<Row>> quarantined = new ArrayList<>();
        final List<SourceCounts> counts = new ArrayList<>();
        private final boolean batch;

        /** @param batch a nightly batch, whose accepted rows are read more than once */
        Validated(boolean batch) {
            this.batch = batch;
        }

        /**
         * Classifies {@code events}, keeps the accepted rows of the run's scope de-duplicated, the
         * quarantine rows of its scope, and the accounting.
         */
        void add(EventSource source, Dataset<Row> events, Column inScope, String label, Reference reference, String runId,
                 Instant asOf, List<Dataset<Row>> cached) {
            // Read and classified once: the narrow rows every later step reads (accounting, quarantine,
            // DARs, platform users), kept on local disk. Spark recomputes a lost block from the
            // Parquet (a local checkpoint would not), and the heap holds none of it.
            Dataset<Row> classified = cache(cached, EventValidation.forReuse(Accounting.withScope(EventValidation.classify(events,
                    source, reference.intervals(), reference.zones().validZoneIds(), asOf), inScope), source), StorageLevel.DISK_ONLY());
            Dataset<Row> scoped = classified.filter(col(Accounting.IN_SCOPE));
            Dataset<Row> valid = scoped.filter(col(EventValidation.QUARANTINE_REASON).isNull()).drop(Accounting.IN_SCOPE);
            quarantined.add(QuarantineRows.of(scoped.filter(col(EventValidation.QUARANTINE_REASON).isNotNull()), source, runId,
                    pseudonymKey));
            counts.add(Accounting.of(classified, source, label, asOf));
            // DARs and platform users are distinct keys: a repeated delivery adds nothing to them, so
            // messages are not de-duplicated row by row (a wide shuffle); duplicates are only counted.
            // A nightly batch reads them twice (touched months, then the merge) and keeps them; a
            // reprocess writes them once, where Spark then packs the shuffle's small partitions into
            // a few files (a kept copy would keep every shuffle partition: a file each).
            Dataset<Row> deduplicated = source == EventSource.MESSAGES ? valid : Deduplication.keepFirstByIdPerMonth(valid, source);
            accepted.put(source, source == EventSource.MESSAGES || !batch ? deduplicated : cache(cached, deduplicated));
        }

        /** Moves {@code n} accepted ids of {@code source} to its duplicates: an earlier copy of each counts in another month. */
        void countAsDuplicates(EventSource source, long n) {
            counts.replaceAll(c -> c.source().equals(source.table()) ? c.withAcceptedCountedAsDuplicates(n) : c);
        }

        long rowsRead() {
            return counts.stream().mapToLong(SourceCounts::read).sum();
        }
    }

    /** Reference data, read and checked by {@link #preflight} before anything is read or written, then used by the run. */
    public record Reference(SiteZones zones, Dataset<Row> intervals, Map<String, List<PlanAssignment>> assignments) {
    }

    private Reference reference() {
        List<SiteZones.ZoneRow> zoneRows = reader.zoneRows();
        refuseEmpty(ReferenceTable.SITES, zoneRows.isEmpty(), "every event would be quarantined UNKNOWN_SITE");
        SiteZones zones = SiteZones.of(zoneRows);
        Map<String, List<PlanAssignment>> assignments = reader.planAssignments();
        refuseEmpty(ReferenceTable.SITE_PLANS, assignments.isEmpty(), "every DAR would be UNRATED_DAR");
        assignments.forEach(PlanCalendar::checkNoOverlap);
        return new Reference(zones, EventValidation.zoneIntervalTable(spark, zones), assignments);
    }

    /**
     * An empty reference table is a failed export, not a world without customers: billing with it
     * would replace every site's invoice lines by nothing (or, on a FINAL month, by negative
     * adjustments of every line).
     */
    private void refuseEmpty(ReferenceTable table, boolean empty, String consequence) {
        if (empty) {
            throw Refusal.cannotRun("--input: " + table.table() + "/ (" + reader.root().resolve(table.table())
                    + ") has no rows: no Parquet data file, or files with zero rows (a failed export?); " + consequence
                    + ", so nothing is billed until it is restored");
        }
    }

    /** @param reused whether the DARs will be read more than once (a nightly batch: small), so kept in memory */
    private MonthUsage monthState(Map<EventSource, Dataset<Row>> accepted, boolean reused, List<Dataset<Row>> cached) {
        Dataset<Row> messages = accepted.get(EventSource.MESSAGES);
        // Pseudonymized after the distinct: one HMAC per DAR, not per message.
        Dataset<Row> dars = Pseudonyms.withPseudonymousConsumer(Dars.fromMessages(messages), pseudonymKey);
        return new MonthUsage(
                reused ? cache(cached, dars) : dars,
                accepted.get(EventSource.COBROWSE_SESSIONS),
                accepted.get(EventSource.FUNCTION_INVOCATIONS),
                Dars.platformUserIds(messages));
    }

    /** The sites with new usage in each billing month, and the local dates of that usage. */
    private record Touched(Map<YearMonth, Set<String>> sites, Set<LocalDate> dates) {
    }

    private static Touched touched(MonthUsage state) {
        Column[] keys = {col(Columns.SITE_ID), col(Columns.BILLING_MONTH), col(Columns.LOCAL_DATE)};
        Map<YearMonth, Set<String>> sites = new TreeMap<>();
        Set<LocalDate> dates = new TreeSet<>();
        for (Row r : state.dars().select(keys).union(state.sessions().select(keys)).union(state.invocations().select(keys)).distinct()
                .collectAsList()) {
            sites.computeIfAbsent(YearMonth.parse(r.getString(1)), m -> new TreeSet<>()).add(r.getString(0));
            dates.add(r.getAs(2));
        }
        return new Touched(sites, dates);
    }

    /** The inputs whose usage is kept in the month state per id: each counts once, in the month of its earliest copy. */
    private static final List<EventSource> USAGE = List.of(EventSource.COBROWSE_SESSIONS, EventSource.FUNCTION_INVOCATIONS);

    /**
     * The site-months of other months than {@code month} holding a copy of an id of the month's
     * state, co-browse sessions and Function invocations: whether the month's copy counts decides
     * whether theirs does, so a reprocess re-rates them.
     */
    public Map<YearMonth, Set<String>> sharingIds(YearMonth month) {
        Map<YearMonth, Set<String>> sharing = new TreeMap<>();
        Column inMonth = DeltaWriter.inMonth(month.toString());
        for (EventSource source : USAGE) {
            Dataset<Row> monthRows = writer.read(StateTables.usageOf(source)).where(inMonth);
            sharing = union(sharing, siteMonthsHolding(source, monthRows, functions.not(inMonth)));
        }
        return sharing;
    }

    /** The site-months of the month state rows ({@code where}) holding a copy of an id of {@code rows}. */
    private Map<YearMonth, Set<String>> siteMonthsHolding(EventSource source, Dataset<Row> rows, Column where) {
        String id = source.idColumn();
        Dataset<Row> ids = Deduplication.ids(rows, source).withColumnRenamed(id, "_id");
        Map<YearMonth, Set<String>> holding = new TreeMap<>();
        for (Row r : writer.read(StateTables.usageOf(source)).where(where).join(ids, col(id).equalTo(col("_id")), "left_semi")
                .select(Columns.BILLING_MONTH, Columns.SITE_ID).distinct().collectAsList()) {
            holding.computeIfAbsent(YearMonth.parse(r.getString(0)), m -> new TreeSet<>()).add(r.getString(1));
        }
        return holding;
    }

    /** The rows (month state columns) that count: no other month of the state holds an earlier copy of the id. */
    private Dataset<Row> counted(EventSource source, Dataset<Row> rows) {
        return Deduplication.withoutEarlierCopyInAnotherMonth(rows, writer.read(StateTables.usageOf(source)), source);
    }

    /** {@code rows} in the columns of the input's month state table. */
    private static Map<YearMonth, Set<String>> union(Map<YearMonth, Set<String>> a, Map<YearMonth, Set<String>> b) {
        Map<YearMonth, Set<String>> all = new TreeMap<>();
        for (Map<YearMonth, Set<String>> m : List.of(a, b)) {
            m.forEach((month, sites) -> all.computeIfAbsent(month, x -> new TreeSet<>()).addAll(sites));
        }
        return all;
    }

    private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> rows) {
        return cache(cached, rows, StorageLevel.MEMORY_AND_DISK());
    }

    private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> rows, StorageLevel level) {
        Dataset<Row> persisted = rows.persist(level);
        cached.add(persisted);
        return persisted;
    }

    private static Dataset<Row> union(List<Dataset<Row>> parts) {
        return parts.stream().reduce(Dataset::unionByName).orElseThrow();
    }
}
