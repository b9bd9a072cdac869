package com.darbilling.job;

import com.darbilling.contract.Columns;

import com.darbilling.run.StageTimes;
import com.darbilling.input.SourceCounts;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Inputs;
import com.darbilling.contract.QuarantineReason;
import com.darbilling.dar.Dars;
import com.darbilling.input.Deduplication;
import com.darbilling.input.EventSource;
import com.darbilling.input.EventValidation;
import com.darbilling.input.InputReader;
import com.darbilling.input.RawFile;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.privacy.Pseudonyms;
import com.darbilling.zone.SiteZones;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The stages of a run: read and validate -> DARs and de-duplicated usage (the month state) ->
 * rating -> invoice lines -> write. {@code reprocess} rebuilds one month's state from the raw
 * inputs; {@code applyBatch} merges new raw files into the state. Both then rate from the state,
 * so any order of arrival converges to what one reprocess gives.
 */
public final class BillingJob {
    private static final String IN_SCOPE = "_in_scope";

    private final SparkSession spark;
    private final InputReader reader;
    private final DeltaWriter writer;
    private final MonthRating rating;
    private final PseudonymKey pseudonymKey;
    private final PlanCatalog catalog;

    public BillingJob(SparkSession spark, InputReader reader, DeltaWriter writer, PlanCatalog catalog, PseudonymKey pseudonymKey) {
        this.spark = spark;
        this.reader = reader;
        this.writer = writer;
        this.rating = new MonthRating(spark, writer, catalog);
        this.pseudonymKey = pseudonymKey;
        this.catalog = catalog;
    }

    /**
     * Computes {@code month} from the raw inputs and replaces it, and only it, in every table.
     *
     * @param files the month's raw files, checked readable and not empty, per input
     */
    public MonthResult reprocess(YearMonth month, Map<EventSource, List<RawFile>> files, String runId, Instant asOf) {
        Reference reference = reference();
        String monthText = month.toString();
        StageTimes times = new StageTimes();
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            Validated validated = new Validated();
            for (EventSource source : EventSource.values()) {
                Dataset<Row> events = reader.files(source, files.getOrDefault(source, List.of()).stream().map(RawFile::path).toList());
                validated.add(source, events, col(EventValidation.SCOPE_MONTH).equalTo(lit(monthText))
                        .or(col(EventValidation.SCOPE_MONTH).isNull()), monthText, reference, runId, asOf, cached);
            }
            times.lap("read and validate");
            MonthState state = monthState(validated.accepted, false, cached);
            times.lap("DARs");

            String inMonth = DeltaWriter.monthPredicate(monthText);
            writer.replace(OutputTables.QUARANTINE, union(validated.quarantined), inMonth + " OR " + Columns.BILLING_MONTH + " IS NULL");
            writer.replace(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, state.dars(), inMonth);
            writer.replace(StateTables.COBROWSE_SESSIONS, state.sessions(), inMonth);
            writer.replace(StateTables.FUNCTION_INVOCATIONS, state.invocations(), inMonth);
            writer.replace(StateTables.PLATFORM_USERS, state.platformUsers(), inMonth);
            times.lap("write DARs and month state");
            MonthRating.Result rated = rating.rate(month, null, true, reference.assignments(), runId);
            times.lap("rate and write invoice");
            return new MonthResult(month, validated.counts, rated.darRows(), rated.linesWritten(), rated.unbilledChanges(), times.laps());
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * Merges the rows of {@code files} into the DARs and the month state, replaces the quarantine
     * rows of {@code batchFiles} (the batch's files: those billed and those set aside, whose rows an
     * earlier attempt may have written), and re-rates the months and sites the rows touched. Every
     * write is idempotent: applying the same files again, after a crash or on purpose, changes nothing.
     */
    public BatchResult applyBatch(List<RawFile> files, List<RawFile> batchFiles, String runId, Instant asOf) {
        Reference reference = reference();
        String label = "batch";
        StageTimes times = new StageTimes();
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            Validated validated = new Validated();
            for (EventSource source : EventSource.values()) {
                List<String> paths = files.stream().filter(f -> f.source() == source).map(RawFile::path).toList();
                validated.add(source, reader.files(source, paths), lit(true), label, reference, runId, asOf, cached);
            }
            times.lap("read and validate");
            MonthState state = monthState(validated.accepted, true, cached);
            Touched usage = touched(state);
            Map<YearMonth, Set<String>> touched = usage.sites();
            times.lap("DARs");

            // Every row merged below is usage of a touched month, so the months limit the target files.
            List<String> months = touched.keySet().stream().map(YearMonth::toString).toList();
            String inMonths = months.isEmpty() ? "false" : "t." + Columns.BILLING_MONTH + " IN (" + DeltaWriter.sqlList(months) + ")";
            // The batch's local dates let Delta skip the files of other days (file statistics): a merge
            // then reads what the new days touch, not the month so far.
            String onDates = inMonths + " AND t." + Columns.LOCAL_DATE + " IN (" + usage.dates() + ")";
            writer.replace(OutputTables.QUARANTINE, union(validated.quarantined), batchFiles.isEmpty() ? "false"
                    : Columns.INPUT_FILE + " IN (" + DeltaWriter.sqlList(batchFiles.stream().map(RawFile::path).toList()) + ")");
            writer.mergeNew(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, state.dars(), onDates);
            long darsInserted = writer.lastCommitMetric(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, "numTargetRowsInserted");
            writer.mergeEarliest(StateTables.COBROWSE_SESSIONS, state.sessions(), Inputs.STARTED_AT, inMonths);
            writer.mergeEarliest(StateTables.FUNCTION_INVOCATIONS, state.invocations(), Inputs.INVOKED_AT, inMonths);
            writer.mergeNew(StateTables.PLATFORM_USERS, state.platformUsers(), inMonths);
            times.lap("merge DARs and month state");

            List<MonthRating.Result> rated = new ArrayList<>();
            for (var entry : touched.entrySet()) {
                rated.add(rating.rate(entry.getKey(), entry.getValue(), false, reference.assignments(), runId));
            }
            times.lap("re-rate touched months");
            return new BatchResult(validated.counts, List.copyOf(touched.keySet()), darsInserted, rated, times.laps());
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * Checks the reference data before anything is written: zones, overlapping assignments, and that
     * every assigned plan is in the catalog (with a card in force for {@code month}, when given).
     */
    public void preflight(YearMonth month) {
        Reference reference = reference();
        reference.assignments().forEach((site, assignments) -> {
            for (PlanAssignment a : assignments) {
                if (catalog.cards().stream().noneMatch(c -> c.planId().equals(a.planId()))) {
                    throw new IllegalArgumentException("site_plans: site " + site + ": plan " + a.planId() + " is not in the plan catalog");
                }
            }
            if (month != null) {
                PlanCalendar.of(site, assignments, month, catalog);
            }
        });
    }

    /** What validation kept, quarantined and counted, input by input. */
    private final class Validated {
        final Map<EventSource, Dataset<Row>> accepted = new EnumMap<>(EventSource.class);
        final List<Dataset<Row>> quarantined = new ArrayList<>();
        final List<SourceCounts> counts = new ArrayList<>();

        /**
         * Classifies {@code events}, keeps the accepted rows of the run's scope de-duplicated, the
         * quarantine rows of its scope, and the accounting.
         */
        void add(EventSource source, Dataset<Row> events, Column inScope, String label, Reference reference, String runId,
                         Instant asOf, List<Dataset<Row>> cached) {
            // Not persisted: each use reads and classifies the Parquet again, which costs less than
            // building an in-memory copy of every row (measured: 38-70 s for 20 M messages).
            Dataset<Row> classified = EventValidation.classify(events, source, reference.intervals(), reference.zones().validZoneIds(),
                    asOf).withColumn(IN_SCOPE, inScope);
            Dataset<Row> scoped = classified.filter(col(IN_SCOPE));
            Dataset<Row> valid = scoped.filter(col(EventValidation.QUARANTINE_REASON).isNull()).drop(IN_SCOPE);
            quarantined.add(quarantineRows(scoped.filter(col(EventValidation.QUARANTINE_REASON).isNotNull()), source, runId));
            counts.add(accounting(source, label, classified, asOf));
            // DARs and platform users are distinct keys: a repeated delivery adds nothing to them, so
            // messages are not de-duplicated row by row (a wide shuffle); duplicates are only counted.
            accepted.put(source, source == EventSource.MESSAGES ? valid : cache(cached, Deduplication.keepFirstById(valid, source)));
        }
    }

    /** Reference data, checked before anything is read or written. */
    private record Reference(SiteZones zones, Dataset<Row> intervals, Map<String, List<PlanAssignment>> assignments) {
    }

    private Reference reference() {
        SiteZones zones = SiteZones.of(reader.zoneRows());
        Map<String, List<PlanAssignment>> assignments = reader.planAssignments();
        assignments.forEach(PlanCalendar::checkNoOverlap);
        return new Reference(zones, EventValidation.zoneIntervalTable(spark, zones), assignments);
    }

    /** DARs and the de-duplicated usage of accepted rows, in the columns of their tables. */
    private record MonthState(Dataset<Row> dars, Dataset<Row> sessions, Dataset<Row> invocations, Dataset<Row> platformUsers) {
    }

    /** @param reused whether the DARs will be read more than once (a nightly batch: small), so kept in memory */
    private MonthState monthState(Map<EventSource, Dataset<Row>> accepted, boolean reused, List<Dataset<Row>> cached) {
        Dataset<Row> messages = accepted.get(EventSource.MESSAGES);
        // Pseudonymized after the distinct: one HMAC per DAR, not per message.
        Dataset<Row> dars = Pseudonyms.withPseudonymousConsumer(Dars.fromMessages(messages), pseudonymKey);
        return new MonthState(
                reused ? cache(cached, dars) : dars,
                accepted.get(EventSource.COBROWSE_SESSIONS),
                accepted.get(EventSource.FUNCTION_INVOCATIONS),
                Dars.platformUserIds(messages));
    }

    /** The sites with new usage in each billing month, and the local dates of that usage as SQL date literals. */
    private record Touched(Map<YearMonth, Set<String>> sites, String dates) {
    }

    private static Touched touched(MonthState state) {
        Column[] keys = {col(Inputs.SITE_ID), col(Columns.BILLING_MONTH), col(Columns.LOCAL_DATE)};
        Map<YearMonth, Set<String>> sites = new TreeMap<>();
        TreeSet<String> dates = new TreeSet<>();
        for (Row r : state.dars().select(keys).union(state.sessions().select(keys)).union(state.invocations().select(keys)).distinct()
                .collectAsList()) {
            sites.computeIfAbsent(YearMonth.parse(r.getString(1)), m -> new TreeSet<>()).add(r.getString(0));
            dates.add("DATE'" + r.get(2) + "'");
        }
        return new Touched(sites, dates.isEmpty() ? "NULL" : String.join(", ", dates));
    }

    private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> rows) {
        Dataset<Row> persisted = rows.persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(persisted);
        return persisted;
    }

    private static Dataset<Row> union(List<Dataset<Row>> parts) {
        return parts.stream().reduce(Dataset::unionByName).orElseThrow();
    }

    /**
     * One aggregation: rows per scope and reason, the distinct ids among the accepted rows, and the
     * rows read that lie after the run's cutoff (quarantined in this month's scope or a neighbour's).
     */
    private static SourceCounts accounting(EventSource source, String label, Dataset<Row> classified, Instant asOf) {
        long read = 0;
        long otherMonth = 0;
        long acceptedWithDuplicates = 0;
        long accepted = 0;
        long afterCutoff = 0;
        Map<String, Long> byReason = new HashMap<>();
        Column pastCutoff = col(EventValidation.QUARANTINE_REASON).equalTo(QuarantineReason.TIMESTAMP_OUT_OF_RANGE.name())
                .and(EventValidation.afterCutoff(col(source.timeColumn()), asOf));
        for (Row r : classified.groupBy(col(IN_SCOPE), col(EventValidation.QUARANTINE_REASON))
                .agg(count(lit(1)), countDistinct(col(source.idColumn())), count(when(pastCutoff, lit(1)))).collectAsList()) {
            long n = r.getLong(2);
            read += n;
            afterCutoff += r.getLong(4);
            if (!r.getBoolean(0)) {
                otherMonth += n;
            } else if (r.isNullAt(1)) {
                acceptedWithDuplicates += n;
                accepted = r.getLong(3);
            } else {
                byReason.put(r.getString(1), n);
            }
        }
        return new SourceCounts(source.table(), label, read, accepted, acceptedWithDuplicates - accepted, otherMonth, byReason,
                afterCutoff);
    }

    /**
     * The quarantine rows of rejected events. The record keeps what the billing rules read and what
     * finds the row in the raw input (its id, its event_date; the file is a column of its own), with
     * every end-user id replaced by its pseudonym; columns billing never reads (conversation_id,
     * function_id) are left out: they may embed an end user's id and nobody needs them to fix a row.
     */
    private Dataset<Row> quarantineRows(Dataset<Row> rejected, EventSource source, String runId) {
        Dataset<Row> pseudonymous = Pseudonyms.withPseudonymousEndUsers(rejected, pseudonymKey);
        List<Column> recordColumns = new ArrayList<>();
        source.recordColumns().forEach(c -> recordColumns.add(col(c)));
        if (source.partitionedByEventDate()) {
            recordColumns.add(col(Inputs.EVENT_DATE));
        }
        return pseudonymous.select(
                lit(source.table()).as(Columns.SOURCE),
                col(EventValidation.QUARANTINE_REASON).as(Columns.REASON),
                to_json(struct(recordColumns.toArray(Column[]::new))).as(Columns.RECORD),
                lit(runId).as(Columns.RUN_ID),
                col(EventValidation.SCOPE_MONTH).as(Columns.BILLING_MONTH),
                col(Columns.INPUT_FILE).as(Columns.INPUT_FILE));
    }
}
