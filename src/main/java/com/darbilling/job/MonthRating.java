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
import com.darbilling.report.InvoiceDiff;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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

    /**
     * A month rated and not written: its site-months, the invoice lines the warehouse holds of them
     * (every version) and what a write would make of them.
     */
    record Rated(YearMonth month, List<SiteMonth> siteMonths, List<InvoiceLine> existing, VersionPlan plan) {
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
     * replaced whole, and a FINAL site-month gets version n+1 with adjustments. When a site's billed
     * DARs or total drop to zero, or a FINAL invoice changes, the {@link InvoiceDiff} goes to
     * {@code notice} before the month's credit usage and invoice lines are written.
     */
    Result rateMonth(YearMonth month, Map<String, List<PlanAssignment>> assignments, String runId, Consumer<String> notice) {
        return rate(month, Optional.empty(), VersionPlan.FinalMonths.REOPEN, assignments, runId, notice);
    }

    /**
     * The sites a nightly batch touched: their credit usage and DRAFT lines are replaced; a FINAL
     * site-month is left alone and a change to it is reported as unbilled.
     */
    Result rateSites(YearMonth month, Set<String> sites, Map<String, List<PlanAssignment>> assignments, String runId) {
        return rate(month, Optional.of(sites), VersionPlan.FinalMonths.KEEP, assignments, runId, line -> { });
    }

    private Result rate(YearMonth month, Optional<Set<String>> sites, VersionPlan.FinalMonths finalMonths,
                        Map<String, List<PlanAssignment>> assignments, String runId, Consumer<String> notice) {
        String monthText = month.toString();
        Rated rated = rated(month, stored(monthText, sites), sites, finalMonths, assignments);
        if (finalMonths == VersionPlan.FinalMonths.REOPEN) {
            InvoiceDiff diff = InvoiceDiff.of(month, rated.existing(), rated.plan());
            if (diff.needsNotice()) {
                notice.accept("reprocess " + month + ", before writing its invoice lines: a site's billed DARs or total drop to zero, "
                        + "or a FINAL invoice changes:");
                diff.lines().forEach(notice);
            }
        }
        VersionPlan plan = rated.plan();
        Column inMonth = DeltaWriter.inMonth(monthText);
        writer.replace(OutputTables.CREDIT_USAGE,
                Rows.creditUsage(spark, rated.siteMonths().stream().flatMap(s -> CreditUsage.of(s).stream()).toList(), runId),
                sites.map(s -> inMonth.and(ofSites(s))).orElse(inMonth));
        if (sites.isEmpty() || !plan.sites().isEmpty()) {
            Column drafts = inMonth.and(col(Columns.STATUS).equalTo(lit(InvoiceStatus.DRAFT.name())));
            writer.replace(OutputTables.INVOICE_LINES, Rows.invoiceLines(spark, plan.lines(), runId),
                    sites.isEmpty() ? drafts : drafts.and(ofSites(plan.sites())));
        }
        return new Result(month, rated.siteMonths().stream().mapToLong(SiteMonth::dars).sum(), plan.lines(), plan.unbilledChanges());
    }

    /**
     * Rates {@code usage} (of {@code sites}, or of every site) against the invoice lines the warehouse
     * holds now, writing nothing: the rating of reprocess, nightly and the dry run alike.
     */
    Rated rated(YearMonth month, MonthUsage usage, Optional<Set<String>> sites, VersionPlan.FinalMonths finalMonths,
                Map<String, List<PlanAssignment>> assignments) {
        // A session or invocation counts once, in the month of its earliest copy (R5, R6).
        MonthUsage counted = new MonthUsage(usage.dars(), counted(EventSource.COBROWSE_SESSIONS, usage.sessions()),
                counted(EventSource.FUNCTION_INVOCATIONS, usage.invocations()), usage.platformUsers());
        List<SiteMonth> siteMonths = rate(month, counted, assignments, catalog);
        List<InvoiceLine> existing = scoped(OutputTables.INVOICE_LINES, month.toString(), sites).collectAsList().stream()
                .map(Rows::invoiceLine).toList();
        return new Rated(month, siteMonths, existing, VersionPlan.of(month, siteMonths, existing, finalMonths));
    }

    /**
     * The site-months of {@code usage}, all in {@code month}: Spark sums it per site and local date, then
     * {@link MonthRater} rates it in plain Java. The same function of the same rows, whether they were
     * written to the tables first (a run) or not (a dry run).
     */
    static List<SiteMonth> rate(YearMonth month, MonthUsage usage, Map<String, List<PlanAssignment>> assignments, PlanCatalog catalog) {
        Map<String, Long> platformUsers = new HashMap<>();
        usage.platformUsers().groupBy(Columns.SITE_ID).count().collectAsList()
                .forEach(r -> platformUsers.put(r.getString(0), r.getLong(1)));
        return MonthRater.rate(month, DailyUsage.collect(DailyUsage.perSiteAndDay(usage.dars(), usage.sessions(), usage.invocations())),
                platformUsers, assignments, catalog);
    }

    /** The month's usage as the tables hold it, of {@code sites} or of every site. */
    private MonthUsage stored(String month, Optional<Set<String>> sites) {
        return new MonthUsage(scoped(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, month, sites), scoped(StateTables.COBROWSE_SESSIONS, month, sites),
                scoped(StateTables.FUNCTION_INVOCATIONS, month, sites), scoped(StateTables.PLATFORM_USERS, month, sites));
    }

    private Dataset<Row> scoped(TableSpec table, String month, Optional<Set<String>> sites) {
        Dataset<Row> rows = writer.read(table).where(DeltaWriter.inMonth(month));
        return sites.map(s -> rows.where(ofSites(s))).orElse(rows);
    }

    /**
     * The month's sessions or invocations ({@code rows}) that count in it: the month state holds each month's
     * earliest copy of an id, and an id counts once, in the month of its earliest copy (R5, R6).
     */
    private Dataset<Row> counted(EventSource source, Dataset<Row> rows) {
        // In the table's columns: a dry run's rows, never written, carry the columns of the run too.
        return Deduplication.withoutEarlierCopyInAnotherMonth(stateColumns(source, rows), writer.read(StateTables.usageOf(source)), source);
    }

    /** {@code rows} in the columns of the month state table of {@code source}, in its order. */
    static Dataset<Row> stateColumns(EventSource source, Dataset<Row> rows) {
        return rows.select(java.util.Arrays.stream(StateTables.usageOf(source).schema().fieldNames()).map(c -> col(c)).toArray(Column[]::new));
    }

    private static Column ofSites(java.util.Collection<String> sites) {
        return sites.isEmpty() ? lit(false) : col(Columns.SITE_ID).isin(sites.toArray());
    }
}
