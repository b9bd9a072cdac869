package com.darbilling.job;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Inputs;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.dar.Dars;
import com.darbilling.input.Deduplication;
import com.darbilling.input.EventSource;
import com.darbilling.input.EventValidation;
import com.darbilling.input.InputReader;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.invoice.InvoiceLines;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.Rows;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.privacy.Pseudonyms;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.rating.CreditUsage;
import com.darbilling.rating.DailyUsage;
import com.darbilling.rating.MonthRater;
import com.darbilling.rating.SiteMonth;
import com.darbilling.zone.SiteZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Orchestrates the stages for one billing month: read and validate -> DARs -> rating -> invoice
 * lines -> write. Everything is computed and checked before the first write.
 */
public final class BillingJob {
    private static final String IN_SCOPE = "_in_scope";

    private final SparkSession spark;
    private final InputReader reader;
    private final DeltaWriter writer;
    private final PlanCatalog catalog;
    private final PseudonymKey pseudonymKey;

    public BillingJob(SparkSession spark, InputReader reader, DeltaWriter writer, PlanCatalog catalog, PseudonymKey pseudonymKey) {
        this.spark = spark;
        this.reader = reader;
        this.writer = writer;
        this.catalog = catalog;
        this.pseudonymKey = pseudonymKey;
    }

    /** The months whose usage or quarantine the events of one UTC date fall in. */
    public List<YearMonth> monthsTouchedBy(LocalDate utcDate, Instant runStartedAt) {
        SiteZones zones = SiteZones.of(reader.zoneRows());
        Dataset<Row> intervals = EventValidation.zoneIntervalTable(spark, zones);
        TreeSet<YearMonth> months = new TreeSet<>();
        for (EventSource source : EventSource.values()) {
            Dataset<Row> events = reader.events(source, utcDate, utcDate);
            if (!source.partitionedByEventDate()) {
                events = events.filter(to_date(col(source.timeColumn())).equalTo(lit(utcDate)));
            }
            EventValidation.classify(events, source, intervals, zones.validZoneIds(), runStartedAt)
                    .select(EventValidation.SCOPE_MONTH).where(col(EventValidation.SCOPE_MONTH).isNotNull()).distinct()
                    .collectAsList()
                    .forEach(r -> months.add(YearMonth.parse(r.getString(0))));
        }
        return List.copyOf(months);
    }

    /** Computes {@code month} from the raw inputs and replaces it, and only it, in the output tables. */
    public MonthResult reprocess(YearMonth month, String runId, Instant runStartedAt) {
        SiteZones zones = SiteZones.of(reader.zoneRows());
        Map<String, List<PlanAssignment>> assignments = reader.planAssignments();
        assignments.forEach(PlanCalendar::checkNoOverlap);
        Dataset<Row> intervals = EventValidation.zoneIntervalTable(spark, zones);
        String monthText = month.toString();

        StageTimes times = new StageTimes();
        Map<EventSource, Dataset<Row>> accepted = new EnumMap<>(EventSource.class);
        List<Dataset<Row>> quarantined = new ArrayList<>();
        List<SourceCounts> counts = new ArrayList<>();
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            for (EventSource source : EventSource.values()) {
                Dataset<Row> events = reader.events(source, month.atDay(1).minusDays(1), month.atEndOfMonth().plusDays(1));
                Dataset<Row> classified = withoutPersonalData(EventValidation.classify(events, source, intervals, zones.validZoneIds(), runStartedAt), source)
                        .withColumn(IN_SCOPE, col(EventValidation.SCOPE_MONTH).equalTo(lit(monthText))
                                .or(col(EventValidation.SCOPE_MONTH).isNull()))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                cached.add(classified);
                Dataset<Row> inScope = classified.filter(col(IN_SCOPE));
                Dataset<Row> deduplicated = Deduplication.keepFirstById(
                                inScope.filter(col(EventValidation.QUARANTINE_REASON).isNull()).drop(IN_SCOPE), source)
                        .persist(StorageLevel.MEMORY_AND_DISK());
                cached.add(deduplicated);
                accepted.put(source, deduplicated);
                quarantined.add(quarantineRows(inScope.filter(col(EventValidation.QUARANTINE_REASON).isNotNull()), source, runId));
                counts.add(count(source, monthText, classified, deduplicated.count()));
            }
            times.lap("read and validate");

            Dataset<Row> dars = Dars.fromMessages(accepted.get(EventSource.MESSAGES)).persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(dars);
            long darRows = dars.count();
            times.lap("DARs");
            Map<String, Long> platformUsers = new HashMap<>();
            Dars.platformUsers(accepted.get(EventSource.MESSAGES)).collectAsList()
                    .forEach(r -> platformUsers.put(r.getString(0), r.getLong(2)));
            List<SiteMonth> rated = MonthRater.rate(month,
                    DailyUsage.collect(DailyUsage.perSiteAndDay(dars, accepted.get(EventSource.COBROWSE_SESSIONS),
                            accepted.get(EventSource.FUNCTION_INVOCATIONS))),
                    platformUsers, assignments, catalog);
            List<CreditUsage> creditUsage = rated.stream().flatMap(m -> CreditUsage.of(m).stream()).toList();
            List<InvoiceLine> lines = rated.stream()
                    .flatMap(m -> InvoiceLines.of(m, 1, InvoiceStatus.DRAFT).stream()).toList();
            InvoiceLines.checkUniqueKeys(lines);
            times.lap("rating");

            writer.replace(OutputTables.QUARANTINE, quarantined.stream().reduce(Dataset::unionByName).orElseThrow(),
                    DeltaWriter.monthPredicate(monthText) + " OR " + OutputTables.BILLING_MONTH + " IS NULL");
            times.lap("write " + OutputTables.QUARANTINE.name());
            writer.replace(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, dars, DeltaWriter.monthPredicate(monthText));
            times.lap("write " + OutputTables.DAILY_ACTIVE_RELATIONSHIPS.name());
            writer.replace(OutputTables.CREDIT_USAGE, Rows.creditUsage(spark, creditUsage, runId),
                    DeltaWriter.monthPredicate(monthText));
            times.lap("write " + OutputTables.CREDIT_USAGE.name());
            writer.replace(OutputTables.INVOICE_LINES, Rows.invoiceLines(spark, lines, runId),
                    DeltaWriter.monthPredicate(monthText));
            times.lap("write " + OutputTables.INVOICE_LINES.name());
            return new MonthResult(month, counts, darRows, lines, times.laps());
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    /** End-user ids leave this stage only as keyed pseudonyms: outputs and quarantine never hold them in clear. */
    private Dataset<Row> withoutPersonalData(Dataset<Row> classified, EventSource source) {
        return source.columns().contains(Inputs.CONSUMER_ID) ? Pseudonyms.withPseudonymousConsumer(classified, pseudonymKey) : classified;
    }

    private static SourceCounts count(EventSource source, String month, Dataset<Row> classified, long accepted) {
        long read = 0;
        long otherMonth = 0;
        long acceptedWithDuplicates = 0;
        Map<String, Long> byReason = new HashMap<>();
        for (Row r : classified.groupBy(col(IN_SCOPE), col(EventValidation.QUARANTINE_REASON)).count().collectAsList()) {
            long n = r.getLong(2);
            read += n;
            if (!r.getBoolean(0)) {
                otherMonth += n;
            } else if (r.isNullAt(1)) {
                acceptedWithDuplicates += n;
            } else {
                byReason.put(r.getString(1), n);
            }
        }
        return new SourceCounts(source.table(), month, read, accepted, acceptedWithDuplicates - accepted, otherMonth, byReason);
    }

    private static Dataset<Row> quarantineRows(Dataset<Row> rejected, EventSource source, String runId) {
        List<Column> recordColumns = new ArrayList<>();
        source.columns().forEach(c -> recordColumns.add(col(c)));
        if (source.partitionedByEventDate()) {
            recordColumns.add(col(Inputs.EVENT_DATE));
        }
        return rejected.select(
                lit(source.table()).as("source"),
                col(EventValidation.QUARANTINE_REASON).as("reason"),
                to_json(struct(recordColumns.toArray(Column[]::new))).as("record"),
                lit(runId).as(OutputTables.RUN_ID),
                col(EventValidation.SCOPE_MONTH).as(OutputTables.BILLING_MONTH));
    }
}
