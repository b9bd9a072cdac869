package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_timestamp;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.plan.PlanCatalog;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reference data (sites, site_plans, the plan catalog) that changed after a month was rated: a
 * site's zone row landing a day after its messages, a corrected zone, a plan assigned late, a rate
 * card added. Each rated month keeps the {@link ReferenceFingerprints} of every site it was rated
 * with; a nightly run compares them with the day's reference data. A change matters to a month when
 * the site has rows a change can move into, out of or within it (see {@link #sitesWithRows}): only
 * then can a reprocess of the month come out different. Changes that matter to no month are simply
 * recorded.
 */
final class ReferenceChanges {
    /**
     * A rated month whose reference data changed for sites with rows it can move.
     *
     * @param sites  each such site and what changed for it
     * @param closed true when the month has FINAL lines: a reprocess writes version n+1 (R10), an
     *               operator's decision, so nightly names it instead of running it
     */
    record Stale(YearMonth month, Map<String, List<String>> sites, boolean closed) {
        /** One line: the month, the sites and what changed for each (at most five named). */
        String describe() {
            List<String> named = sites.entrySet().stream().limit(5)
                    .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
            return month + ": reference data changed since it was rated for " + sites.size() + (sites.size() == 1 ? " site: " : " sites: ")
                    + String.join("; ", named) + (sites.size() > named.size() ? "; ..." : "");
        }
    }

    private final SparkSession spark;
    private final DeltaWriter writer;
    private final PlanCatalog catalog;

    ReferenceChanges(SparkSession spark, DeltaWriter writer, PlanCatalog catalog) {
        this.spark = spark;
        this.writer = writer;
        this.catalog = catalog;
    }

    /**
     * The months rated before whose reference data changed since for a site with rows they can move,
     * earliest first. A month whose changes touch no such site takes the new fingerprints at once.
     */
    List<Stale> find(BillingJob.Reference reference, String runId) {
        Map<YearMonth, Map<String, ReferenceFingerprints>> stored = stored();
        List<Stale> stale = new ArrayList<>();
        for (var entry : stored.entrySet()) {
            YearMonth month = entry.getKey();
            Map<String, ReferenceFingerprints> now = ReferenceFingerprints.of(month, reference.zones(), reference.assignments(), catalog);
            Map<String, List<String>> changed = new TreeMap<>();
            Set<String> sites = new HashSet<>(now.keySet());
            sites.addAll(entry.getValue().keySet());
            for (String site : sites) {
                List<String> parts = ReferenceFingerprints.differences(entry.getValue().get(site), now.get(site));
                if (!parts.isEmpty()) {
                    changed.put(site, parts);
                }
            }
            if (changed.isEmpty()) {
                continue;
            }
            Set<String> withRows = sitesWithRows(month, changed.keySet());
            changed.keySet().retainAll(withRows);
            if (changed.isEmpty()) {
                write(Map.of(month, now), runId);
            } else {
                stale.add(new Stale(month, changed, closed(month)));
            }
        }
        return stale;
    }

    /**
     * Records the fingerprints {@code month} was just rated with (a reprocess of it), and the day's
     * for a month next to it that has none: a zone change can move a DAR into a month nothing was
     * rated in yet, and only a month with fingerprints is compared.
     */
    void record(YearMonth month, BillingJob.Reference reference, String runId) {
        recordWithNeighbours(List.of(month), knownMonths(), reference, runId);
    }

    /**
     * Records the fingerprints of the months a nightly batch rated that have none yet (a month's
     * first night, or a warehouse written before fingerprints were kept): a month that has them was
     * checked by {@link #find} at the start of the run and is current.
     */
    void recordIfAbsent(Collection<YearMonth> months, BillingJob.Reference reference, String runId) {
        if (months.isEmpty()) {
            return;
        }
        Set<String> known = knownMonths();
        List<YearMonth> absent = months.stream().filter(m -> !known.contains(m.toString())).toList();
        if (!absent.isEmpty()) {
            recordWithNeighbours(absent, known, reference, runId);
        }
    }

    /** {@code months}, and the months next to them that have none, in one commit. */
    private void recordWithNeighbours(List<YearMonth> months, Set<String> known, BillingJob.Reference reference, String runId) {
        Set<YearMonth> all = new java.util.TreeSet<>(months);
        for (YearMonth month : months) {
            for (YearMonth next : List.of(month.minusMonths(1), month.plusMonths(1))) {
                if (!known.contains(next.toString())) {
                    all.add(next);
                }
            }
        }
        Map<YearMonth, Map<String, ReferenceFingerprints>> fingerprints = new TreeMap<>();
        all.forEach(m -> fingerprints.put(m, ReferenceFingerprints.of(m, reference.zones(), reference.assignments(), catalog)));
        write(fingerprints, runId);
    }

    private Set<String> knownMonths() {
        return writer.read(StateTables.REFERENCE_FINGERPRINTS).select(Columns.BILLING_MONTH).distinct().collectAsList()
                .stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    }

    private void write(Map<YearMonth, Map<String, ReferenceFingerprints>> byMonth, String runId) {
        List<Row> rows = new ArrayList<>();
        byMonth.forEach((month, fingerprints) -> fingerprints.forEach((site, f) ->
                rows.add(RowFactory.create(month.toString(), site, f.zone(), f.plans(), f.cards(), runId))));
        writer.replace(StateTables.REFERENCE_FINGERPRINTS, LocalRows.of(spark, rows, StateTables.REFERENCE_FINGERPRINTS.schema()),
                col(Columns.BILLING_MONTH).isin(byMonth.keySet().stream().map(YearMonth::toString).toArray()));
    }

    private Map<YearMonth, Map<String, ReferenceFingerprints>> stored() {
        Map<YearMonth, Map<String, ReferenceFingerprints>> byMonth = new TreeMap<>();
        for (Row r : writer.read(StateTables.REFERENCE_FINGERPRINTS).collectAsList()) {
            byMonth.computeIfAbsent(YearMonth.parse(r.getAs(Columns.BILLING_MONTH)), m -> new HashMap<>())
                    .put(r.getAs(Columns.SITE_ID), new ReferenceFingerprints(r.getAs("zone"), r.getAs("plans"), r.getAs("cards")));
        }
        return byMonth;
    }

    /**
     * The sites among {@code sites} whose rows a change of their reference data can move into, out
     * of or within {@code month}: invoice lines or platform users of the month (a plan or card
     * change), DARs, co-browse sessions or Function invocations on its days or the day before or
     * after (a zone change moves them across the edge by at most a day), quarantined rows with an
     * instant from a day before the month to a day after it (a site unknown until now, or a zone
     * that was not valid).
     */
    private Set<String> sitesWithRows(YearMonth month, Set<String> sites) {
        Object[] siteIds = sites.toArray();
        Column inMonth = DeltaWriter.inMonth(month.toString());
        Column nearDays = col(Columns.LOCAL_DATE).between(lit(month.atDay(1).minusDays(1)), lit(month.atEndOfMonth().plusDays(1)));
        Column site = col(Columns.SITE_ID);
        Set<String> found = new HashSet<>();
        found.addAll(distinct(OutputTables.INVOICE_LINES, inMonth, site, siteIds));
        found.addAll(distinct(StateTables.PLATFORM_USERS, inMonth, site, siteIds));
        for (var table : List.of(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, StateTables.COBROWSE_SESSIONS, StateTables.FUNCTION_INVOCATIONS)) {
            found.addAll(distinct(table, nearDays, site, siteIds));
        }
        // A quarantine row keeps the input row as JSON: its site_id as sent and its instant in UTC.
        Column instant = to_timestamp(coalesce(get_json_object(col(Columns.RECORD), "$." + Inputs.SENT_AT),
                get_json_object(col(Columns.RECORD), "$." + Inputs.STARTED_AT), get_json_object(col(Columns.RECORD), "$." + Inputs.INVOKED_AT)));
        Column near = col(Columns.BILLING_MONTH).isin(month.minusMonths(1).toString(), month.toString(), month.plusMonths(1).toString())
                .and(instant.between(lit(month.atDay(1).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)),
                        lit(month.atEndOfMonth().plusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC))));
        found.addAll(distinct(OutputTables.QUARANTINE, near, get_json_object(col(Columns.RECORD), "$." + Inputs.SITE_ID), siteIds));
        return found;
    }

    private List<String> distinct(com.darbilling.output.TableSpec table, Column where, Column site, Object[] siteIds) {
        return writer.read(table).where(where.and(site.isin(siteIds))).select(site).distinct().collectAsList().stream()
                .map(r -> r.getString(0)).toList();
    }

    private boolean closed(YearMonth month) {
        return !writer.read(OutputTables.INVOICE_LINES).where(DeltaWriter.inMonth(month.toString())
                .and(col(Columns.STATUS).equalTo(InvoiceStatus.FINAL.name()))).isEmpty();
    }
}
