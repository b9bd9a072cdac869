package com.darbilling.job;

import com.darbilling.contract.Columns;

import static org.apache.spark.sql.functions.col;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.input.EventValidation;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.invoice.InvoiceLines;
import com.darbilling.invoice.InvoiceVersions;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rates a billing month (all sites, or some) from the DARs and the month state, and writes its
 * credit usage and its DRAFT invoice lines. FINAL lines are never rewritten (R10).
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
     * @param sites          the sites to rate; null for every site of the month
     * @param mayReopenFinal true for reprocess: a FINAL site-month gets version n+1 with adjustments;
     *                       false for nightly: it is left alone and reported as unbilled change
     */
    Result rate(YearMonth month, Set<String> sites, boolean mayReopenFinal, Map<String, List<PlanAssignment>> assignments,
                String runId) {
        String monthText = month.toString();
        Dataset<Row> dars = scoped(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, monthText, sites);
        Map<String, Long> platformUsers = new HashMap<>();
        scoped(StateTables.PLATFORM_USERS, monthText, sites).groupBy(Columns.SITE_ID).count().collectAsList()
                .forEach(r -> platformUsers.put(r.getString(0), r.getLong(1)));
        List<SiteMonth> rated = MonthRater.rate(month,
                DailyUsage.collect(DailyUsage.perSiteAndDay(dars,
                        scoped(StateTables.COBROWSE_SESSIONS, monthText, sites),
                        scoped(StateTables.FUNCTION_INVOCATIONS, monthText, sites))),
                platformUsers, assignments, catalog);
        long darRows = rated.stream().mapToLong(SiteMonth::dars).sum();

        Map<String, List<InvoiceLine>> existing = existingLines(monthText, sites);
        Map<String, SiteMonth> bySite = rated.stream().collect(Collectors.toMap(SiteMonth::siteId, m -> m));
        TreeSet<String> allSites = new TreeSet<>(bySite.keySet());
        allSites.addAll(existing.keySet());
        List<InvoiceLine> lines = new ArrayList<>();
        List<String> writable = new ArrayList<>();
        List<String> unbilled = new ArrayList<>();
        for (String site : allSites) {
            InvoiceVersions.Existing before = InvoiceVersions.Existing.of(existing.getOrDefault(site, List.of()));
            Optional<Integer> version = InvoiceVersions.nextVersion(before, mayReopenFinal);
            SiteMonth m = bySite.get(site);
            if (version.isEmpty()) {
                List<InvoiceLine> current = m == null ? List.of() : InvoiceLines.of(m, before.latestVersion(), InvoiceStatus.FINAL);
                if (!InvoiceVersions.adjustments(current, before.latestFinalLines(), site, monthText, 0).isEmpty()) {
                    unbilled.add(site + " " + monthText);
                }
                continue;
            }
            writable.add(site);
            List<InvoiceLine> regular = m == null ? List.of() : InvoiceLines.of(m, version.get(), InvoiceStatus.DRAFT);
            lines.addAll(InvoiceVersions.withAdjustments(regular, before, site, monthText, version.get()));
        }
        InvoiceLines.checkUniqueKeys(lines);

        String inMonth = DeltaWriter.monthPredicate(monthText);
        String siteFilter = sites == null ? "" : " AND site_id IN (" + DeltaWriter.sqlList(sites) + ")";
        writer.replace(OutputTables.CREDIT_USAGE,
                Rows.creditUsage(spark, rated.stream().flatMap(s -> CreditUsage.of(s).stream()).toList(), runId),
                sites == null ? inMonth : inMonth + (sites.isEmpty() ? " AND false" : siteFilter));
        if (!writable.isEmpty() || sites == null) {
            String draftFilter = inMonth + " AND status = '" + InvoiceStatus.DRAFT + "'"
                    + (sites == null ? "" : " AND site_id IN (" + DeltaWriter.sqlList(writable) + ")");
            writer.replace(OutputTables.INVOICE_LINES, Rows.invoiceLines(spark, lines, runId), draftFilter);
        }
        return new Result(month, darRows, lines, unbilled);
    }

    private Dataset<Row> scoped(TableSpec table, String month, Set<String> sites) {
        Dataset<Row> rows = writer.read(table).where(col(Columns.BILLING_MONTH).equalTo(month));
        return sites == null ? rows : rows.where(col(Columns.SITE_ID).isin(sites.toArray()));
    }

    private Map<String, List<InvoiceLine>> existingLines(String month, Set<String> sites) {
        Map<String, List<InvoiceLine>> bySite = new HashMap<>();
        for (Row r : scoped(OutputTables.INVOICE_LINES, month, sites).collectAsList()) {
            InvoiceLine line = new InvoiceLine(r.getAs(Columns.SITE_ID), r.getAs(Columns.BILLING_MONTH), r.<Integer>getAs("invoice_version"),
                    InvoiceStatus.valueOf(r.getAs(Columns.STATUS)), r.getAs(Columns.PLAN_ID), r.getAs("plan_version"),
                    LineType.valueOf(r.getAs("line_type")),
                    r.getAs("adjusted_line_type") == null ? null : LineType.valueOf(r.getAs("adjusted_line_type")),
                    r.getAs("quantity"), r.getAs("unit_price"), r.getAs("amount"), r.getAs("currency"));
            bySite.computeIfAbsent(line.siteId(), s -> new ArrayList<>()).add(line);
        }
        return bySite;
    }

}
