package com.darbilling.statement;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;

import com.darbilling.contract.Columns;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.Rows;
import com.darbilling.output.TableSpec;
import com.darbilling.projection.Segment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Reads what statements show from the Delta tables, and only from them: never the raw input. The
 * reads are small (a month's rows of the invoice, usage and segment tables; the DARs counted per
 * site and local date by Spark).
 */
final class StatementTables {
    /** Without these a warehouse has nothing to state. */
    static final List<TableSpec> REQUIRED = List.of(OutputTables.INVOICE_LINES, OutputTables.CREDIT_USAGE,
            OutputTables.DAILY_ACTIVE_RELATIONSHIPS, OutputTables.RUNS);
    static final List<TableSpec> READ = List.of(OutputTables.INVOICE_LINES, OutputTables.CREDIT_USAGE,
            OutputTables.DAILY_ACTIVE_RELATIONSHIPS, OutputTables.PLAN_SEGMENTS, OutputTables.QUARANTINE, OutputTables.USAGE_PROJECTIONS,
            OutputTables.RUNS);

    /** The statements of a month, its quarantined rows by input and reason, and the Delta versions read. */
    record Month(YearMonth month, List<SiteStatement> sites, Map<String, Long> quarantined, long quarantinedWithoutMonth,
                 Map<String, Long> tableVersions) {
    }

    private final DeltaWriter tables;
    private final String warehouseName;

    StatementTables(DeltaWriter tables, String warehouseName) {
        this.tables = tables;
        this.warehouseName = warehouseName;
    }

    Month read(YearMonth month, Optional<String> site) {
        for (TableSpec spec : REQUIRED) {
            if (!tables.exists(spec)) {
                throw new StatementException("warehouse " + warehouseName + " has no " + spec.name()
                        + " table: not a billing warehouse, or no run has written it yet");
            }
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        READ.forEach(spec -> versions.put(spec.name(), tables.version(spec)));
        String monthText = month.toString();

        Map<String, List<InvoiceLine>> lines = new TreeMap<>();
        Map<String, String> latestRunOfSite = new HashMap<>();
        Map<String, Integer> latestVersion = new HashMap<>();
        for (Row r : inMonth(OutputTables.INVOICE_LINES, monthText, site).collectAsList()) {
            InvoiceLine line = Rows.invoiceLine(r);
            lines.computeIfAbsent(line.siteId(), s -> new ArrayList<>()).add(line);
            if (line.invoiceVersion() >= latestVersion.getOrDefault(line.siteId(), 0)) {
                latestVersion.put(line.siteId(), line.invoiceVersion());
                latestRunOfSite.put(line.siteId(), r.getAs(Columns.RUN_ID));
            }
        }
        Map<String, List<SiteStatement.Credit>> credits = new TreeMap<>();
        Map<String, String> usageRunOfSite = new HashMap<>();
        for (Row r : inMonth(OutputTables.CREDIT_USAGE, monthText, site).orderBy(Columns.SITE_ID, Columns.CATEGORY).collectAsList()) {
            credits.computeIfAbsent(r.getAs(Columns.SITE_ID), s -> new ArrayList<>())
                    .add(new SiteStatement.Credit(r.getAs(Columns.CATEGORY), r.<Long>getAs("usage_quantity"), r.getAs("credits")));
            usageRunOfSite.put(r.getAs(Columns.SITE_ID), r.getAs(Columns.RUN_ID));
        }
        Set<String> sites = new TreeSet<>(lines.keySet());
        sites.addAll(credits.keySet());
        if (sites.isEmpty()) {
            site.ifPresent(s -> {
                throw new StatementException(unknownSite(s, month));
            });
            List<String> months = tables.read(OutputTables.INVOICE_LINES).select(Columns.BILLING_MONTH).distinct()
                    .orderBy(Columns.BILLING_MONTH).collectAsList().stream().map(r -> r.getString(0)).toList();
            throw new StatementException("no billing data for " + monthText + " in warehouse " + warehouseName
                    + (months.isEmpty() ? " (it holds no invoice lines)" : " (months with data: " + String.join(", ", months) + ")"));
        }

        Map<String, Map<LocalDate, Long>> dars = new HashMap<>();
        for (Row r : inMonth(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, monthText, site).groupBy(Columns.SITE_ID, Columns.LOCAL_DATE).count()
                .collectAsList()) {
            dars.computeIfAbsent(r.getString(0), s -> new TreeMap<>()).put((LocalDate) r.get(1), r.getLong(2));
        }
        Map<String, List<Segment>> segments = new HashMap<>();
        Map<String, List<SiteStatement.ZoneSpan>> zones = new HashMap<>();
        readSegments(monthText, site, latestVersion, segments, zones);
        Map<String, Map<String, Long>> quarantinedBySite = new HashMap<>();
        Map<String, Long> quarantined = new TreeMap<>();
        long withoutMonth = readQuarantine(monthText, quarantinedBySite, quarantined);
        Map<String, SiteStatement.Projection> projections = readProjections(monthText, site);

        Set<String> runIds = new TreeSet<>(latestRunOfSite.values());
        runIds.addAll(usageRunOfSite.values());
        Map<String, SiteStatement.Run> runs = readRuns(runIds);

        List<SiteStatement> statements = new ArrayList<>();
        for (String s : sites) {
            SiteStatement.Run linesRun = runs.get(latestRunOfSite.get(s));
            SiteStatement.Run usageRun = runs.get(usageRunOfSite.get(s));
            SiteStatement draft = new SiteStatement(s, month, segments.getOrDefault(s, List.of()), zones.getOrDefault(s, List.of()),
                    new TreeMap<>(dars.getOrDefault(s, Map.of())), credits.getOrDefault(s, List.of()), lines.getOrDefault(s, List.of()),
                    linesRun, usageRun, quarantinedBySite.getOrDefault(s, Map.of()), Optional.empty());
            Optional<SiteStatement.Projection> projection = Optional.ofNullable(projections.get(s))
                    .filter(p -> draft.figuresRun() == null || draft.figuresRun().asOf() == null || !p.asOf().isBefore(draft.figuresRun().asOf()));
            statements.add(new SiteStatement(s, month, draft.segments(), draft.zones(), draft.darsPerDay(), draft.credits(), draft.lines(),
                    linesRun, usageRun, draft.quarantined(), projection));
        }
        return new Month(month, statements, quarantined, withoutMonth, versions);
    }

    private String unknownSite(String site, YearMonth month) {
        List<String> known = tables.read(OutputTables.CREDIT_USAGE).where(col(Columns.BILLING_MONTH).equalTo(month.toString()))
                .select(Columns.SITE_ID).distinct().orderBy(Columns.SITE_ID).limit(11).collectAsList().stream().map(r -> r.getString(0)).toList();
        String list = known.isEmpty() ? "none" : String.join(", ", known.subList(0, Math.min(10, known.size()))) + (known.size() > 10 ? ", ..." : "");
        return "site " + site + " has no billing data in " + month + " in warehouse " + warehouseName + " (sites of the month: " + list + ")";
    }

    private Dataset<Row> inMonth(TableSpec spec, String month, Optional<String> site) {
        Dataset<Row> rows = tables.read(spec).where(col(Columns.BILLING_MONTH).equalTo(month));
        return site.map(s -> rows.where(col(Columns.SITE_ID).equalTo(s))).orElse(rows);
    }

    private void readSegments(String month, Optional<String> site, Map<String, Integer> latestVersion, Map<String, List<Segment>> segments,
                              Map<String, List<SiteStatement.ZoneSpan>> zones) {
        if (!tables.exists(OutputTables.PLAN_SEGMENTS)) {
            return;
        }
        for (Row r : inMonth(OutputTables.PLAN_SEGMENTS, month, site).orderBy(Columns.SITE_ID, "first_date").collectAsList()) {
            String s = r.getAs(Columns.SITE_ID);
            if (latestVersion.containsKey(s) && r.<Integer>getAs("invoice_version") != latestVersion.get(s).intValue()) {
                continue; // segments of another version than the invoice shown: not what was billed
            }
            List<LocalDate> dates = r.getList(r.fieldIndex("local_dates"));
            Long blockSize = r.getAs("overage_block_size");
            Long free = r.getAs("free_invocations");
            segments.computeIfAbsent(s, k -> new ArrayList<>()).add(new Segment(r.getAs(Columns.PLAN_ID), r.getAs("plan_version"),
                    r.getAs("currency"), dates, r.<Integer>getAs("days_in_month"), r.<Long>getAs("included_dar"),
                    blockSize == null ? 0 : blockSize, r.getAs("overage_block_price"), free == null ? 0 : free,
                    r.<Integer>getAs("intent_manager_days")));
            List<Row> spans = r.getList(r.fieldIndex("time_zones"));
            zones.put(s, spans.stream().map(z -> new SiteStatement.ZoneSpan(z.getString(0), (Instant) z.get(1))).toList());
        }
        // Days without a plan come last, as rating lists them.
        segments.values().forEach(list -> list.sort(java.util.Comparator.comparing((Segment g) -> !g.rated())
                .thenComparing(Segment::firstDate)));
    }

    /**
     * By input and reason, for the month and per site (the site_id in the row's record), rows without a
     * month included; returns how many rows have no month.
     */
    private long readQuarantine(String month, Map<String, Map<String, Long>> bySite, Map<String, Long> byReason) {
        if (!tables.exists(OutputTables.QUARANTINE)) {
            return 0;
        }
        Dataset<Row> rows = tables.read(OutputTables.QUARANTINE);
        Column site = get_json_object(col(Columns.RECORD), "$.site_id");
        // Rows without a month (no usable instant) are reported by every month's run: they are listed with each month.
        for (Row r : rows.where(col(Columns.BILLING_MONTH).equalTo(month).or(col(Columns.BILLING_MONTH).isNull()))
                .groupBy(col(Columns.SOURCE), col(Columns.REASON), site.as("site"))
                .count().collectAsList()) {
            String key = r.getString(0) + " " + r.getString(1);
            byReason.merge(key, r.getLong(3), Long::sum);
            if (!r.isNullAt(2)) {
                bySite.computeIfAbsent(r.getString(2), s -> new TreeMap<>()).merge(key, r.getLong(3), Long::sum);
            }
        }
        return rows.where(col(Columns.BILLING_MONTH).isNull()).count();
    }

    /** The latest projection of each site of the month. */
    private Map<String, SiteStatement.Projection> readProjections(String month, Optional<String> site) {
        Map<String, SiteStatement.Projection> latest = new HashMap<>();
        if (!tables.exists(OutputTables.USAGE_PROJECTIONS)) {
            return latest;
        }
        for (Row r : inMonth(OutputTables.USAGE_PROJECTIONS, month, site).collectAsList()) {
            List<SiteStatement.SegmentOutlook> segments = r.<Row>getList(r.fieldIndex("segments")).stream()
                    .map(s -> new SiteStatement.SegmentOutlook(s.getString(0), s.getString(1), s.getInt(2), s.getInt(3), s.getLong(4),
                            s.getLong(5), s.getLong(6), s.getLong(7), s.getDecimal(8), s.getString(9)))
                    .toList();
            SiteStatement.Projection p = new SiteStatement.Projection(r.getAs("as_of"), r.getAs("time_zone"), r.<Long>getAs("dars_so_far"),
                    r.<Integer>getAs("complete_days"), r.<Integer>getAs("days_in_month"), r.<Long>getAs("projected_dars"),
                    r.<Long>getAs("included_dar"), r.<Long>getAs("projected_overage_blocks"), r.<BigDecimal>getAs("projected_overage_amount"),
                    r.getAs("currency"), r.getAs("level"), r.getAs(Columns.RUN_ID), segments);
            latest.merge(r.getAs(Columns.SITE_ID), p, (a, b) -> a.asOf().isAfter(b.asOf()) ? a : b);
        }
        return latest;
    }

    private Map<String, SiteStatement.Run> readRuns(Set<String> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        return tables.read(OutputTables.RUNS).where(col(Columns.RUN_ID).isin(runIds.toArray())).collectAsList().stream()
                .map(r -> new SiteStatement.Run(r.getAs(Columns.RUN_ID), r.getAs("command"), r.getAs(Columns.STATUS),
                        List.of(r.schema().fieldNames()).contains("as_of") ? r.getAs("as_of") : null, r.getAs("finished_at")))
                .collect(Collectors.toMap(SiteStatement.Run::runId, r -> r, (a, b) -> a));
    }
}
