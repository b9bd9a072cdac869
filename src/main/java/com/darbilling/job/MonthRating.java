package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.input.Deduplication;
import com.darbilling.input.EventSource;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.invoice.VersionPlan;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.Rows;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.rating.CreditUsage;
import com.darbilling.rating.DailyUsage;
import com.darbilling.rating.MonthRater;
import com.darbilling.rating.SiteMonth;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rates a billing month from the DARs and the month state and writes its credit usage and its
 * DRAFT invoice lines: reads, {@link MonthRater} and {@link VersionPlan}, writes. FINAL lines are
 * never rewritten (R10).
 */
final class MonthRating {
    /** What a rating wrote, and the closed site-months whose usage changed without being billed. */
    record Result(YearMonth month, long darRows, List<InvoiceLine> linesWritten, List<String> unbilledChanges) {
    }

    private final SparkSession spark;
    private final DeltaWriter writer;
    private final PlanCatalog catalog;

    MonthRating(SparkSession spark, DeltaWriter writer, PlanCatalog catalog) {
        this.spark = spark;
        this.writer = writer;
        this.catalog = catalog;
    }

    /**
     * Every site of the month, as a reprocess does: the month's credit usage and DRAFT lines are
     * replaced whole, and a FINAL site-month gets version n+1 with adjustments.
     */
    Result rateMonth(YearMonth month, Map<String, List<PlanAssignment>> assignments, String runId) {
        return rate(month, Optional.empty(), VersionPlan.FinalMonths.REOPEN, assignments, runId);
    }

    /**
     * The sites a nightly batch touched: their credit usage and DRAFT lines are replaced; a FINAL
     * site-month is left alone and a change to it is reported as unbilled.
     */
    Result rateSites(YearMonth month, Set<String> sites, Map<String, List<PlanAssignment>> assignments, String runId) {
        return rate(month, Optional.of(sites), VersionPlan.FinalMonths.KEEP, assignments, runId);
    }

    private Result rate(YearMonth month, Optional<Set<String>> sites, VersionPlan.FinalMonths finalMonths,
                        Map<String, List<PlanAssignment>> assignments, String runId) {
        String monthText = month.toString();
        Map<String, Long> platformUsers = new HashMap<>();
        scoped(StateTables.PLATFORM_USERS, monthText, sites).groupBy(Columns.SITE_ID).count().collectAsList()
                .forEach(r -> platformUsers.put(r.getString(0), r.getLong(1)));
        List<SiteMonth> rated = MonthRater.rate(month,
                DailyUsage.collect(DailyUsage.perSiteAndDay(scoped(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, monthText, sites),
                        counted(EventSource.COBROWSE_SESSIONS, monthText, sites),
                        counted(EventSource.FUNCTION_INVOCATIONS, monthText, sites))),
                platformUsers, assignments, catalog);
        List<InvoiceLine> existing = scoped(OutputTables.INVOICE_LINES, monthText, sites).collectAsList().stream().map(Rows::invoiceLine)
                .toList();
        VersionPlan plan = VersionPlan.of(month, rated, existing, finalMonths);

        Column inMonth = DeltaWriter.inMonth(monthText);
        writer.replace(OutputTables.CREDIT_USAGE,
                Rows.creditUsage(spark, rated.stream().flatMap(s -> CreditUsage.of(s).stream()).toList(), runId),
                sites.map(s -> inMonth.and(ofSites(s))).orElse(inMonth));
        if (sites.isEmpty() || !plan.sites().isEmpty()) {
            Column drafts = inMonth.and(col(Columns.STATUS).equalTo(lit(InvoiceStatus.DRAFT.name())));
            writer.replace(OutputTables.INVOICE_LINES, Rows.invoiceLines(spark, plan.lines(), runId),
                    sites.isEmpty() ? drafts : drafts.and(ofSites(plan.sites())));
        }
        return new Result(month, rated.stream().mapToLong(SiteMonth::dars).sum(), plan.lines(), plan.unbilledChanges());
    }

    private Dataset<Row> scoped(TableSpec table, String month, Optional<Set<String>> sites) {
        Dataset<Row> rows = writer.read(table).where(DeltaWriter.inMonth(month));
        return sites.map(s -> rows.where(ofSites(s))).orElse(rows);
    }

    /**
     * The month's sessions or invocations that count in it: the month state holds each month's
     * earliest copy of an id, and an id counts once, in the month of its earliest copy (R5, R6).
     */
    private Dataset<Row> counted(EventSource source, String month, Optional<Set<String>> sites) {
        TableSpec table = StateTables.usageOf(source);
        return Deduplication.withoutEarlierCopyInAnotherMonth(scoped(table, month, sites), writer.read(table), source);
    }

    private static Column ofSites(java.util.Collection<String> sites) {
        return sites.isEmpty() ? lit(false) : col(Columns.SITE_ID).isin(sites.toArray());
    }
}
