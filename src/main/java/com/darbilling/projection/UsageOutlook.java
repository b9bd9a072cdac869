package com.darbilling.projection;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.OutputTables;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.zone.SiteZones;
import com.darbilling.zone.ZoneInterval;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * After a run rated months: writes the plan segments of the site-months whose invoice lines it
 * wrote (what statements show) and the projections of the months still in progress at the run's
 * cutoff, and says which sites' level went up since the previous projection. Every figure is a
 * function of the tables, the reference data and the run's as-of instant: never of the clock.
 */
public final class UsageOutlook {

    private final SparkSession spark;
    private final DeltaWriter writer;
    private final PlanCatalog catalog;
    private final Map<String, List<PlanAssignment>> assignments;
    private final SiteZones zones;

    private UsageOutlook(SparkSession spark, DeltaWriter writer, PlanCatalog catalog, Map<String, List<PlanAssignment>> assignments,
                         SiteZones zones) {
        this.spark = spark;
        this.writer = writer;
        this.catalog = catalog;
        this.assignments = assignments;
        this.zones = zones;
    }

    /**
     * @param assignments the run's plan assignments and {@code zones} its site zones, as it read and checked them
     * @param written     the invoice lines the run wrote, per month rated (a month with none: its segments are cleared
     *                    when {@code wholeMonths})
     * @param wholeMonths true for reprocess: the months' segments are replaced whole; false for nightly: only the sites written
     * @return what to print: a line on what was written and its time, then one line per site whose level went
     *         up since its previous projection of the month
     */
    public static List<String> afterRating(SparkSession spark, DeltaWriter writer, Map<String, List<PlanAssignment>> assignments,
                                           SiteZones zones, PlanCatalog catalog, Map<YearMonth, List<InvoiceLine>> written,
                                           boolean wholeMonths, String runId, Instant asOf) {
        long start = System.nanoTime();
        UsageOutlook outlook = new UsageOutlook(spark, writer, catalog, assignments, zones);
        List<String> levelUps = new ArrayList<>();
        List<String> projected = new ArrayList<>();
        for (var entry : new TreeMap<>(written).entrySet()) {
            outlook.writeSegments(entry.getKey(), entry.getValue(), wholeMonths, runId);
            if (Projections.inProgress(entry.getKey(), asOf)) {
                levelUps.addAll(outlook.writeProjections(entry.getKey(), runId, asOf));
                projected.add(entry.getKey().toString());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("  plan segments written" + (projected.isEmpty() ? ", no month in progress to project" : ", projected " + projected)
                + " (ms): " + (System.nanoTime() - start) / 1_000_000);
        lines.addAll(levelUps);
        return lines;
    }

    private List<Segment> segments(String site, YearMonth month) {
        return Segment.of(PlanCalendar.of(site, assignments.getOrDefault(site, List.of()), month, catalog));
    }

    private void writeSegments(YearMonth month, List<InvoiceLine> lines, boolean wholeMonth, String runId) {
        Map<String, Integer> versions = new TreeMap<>();
        lines.forEach(l -> versions.merge(l.siteId(), l.invoiceVersion(), Math::max));
        if (versions.isEmpty() && !wholeMonth) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        versions.forEach((site, version) -> {
            List<Row> timeZones = timeZones(site, month);
            for (Segment s : segments(site, month)) {
                rows.add(RowFactory.create(site, month.toString(), version, s.planId(), s.planVersion(), s.currency(), s.dates(),
                        s.firstDate(), s.lastDate(), s.days(), s.daysInMonth(), s.includedDar(), s.rated() ? s.overageBlockSize() : null,
                        s.overageBlockPrice(), s.rated() ? s.freeInvocations() : null, s.intentManagerDays(), timeZones, runId));
            }
        });
        Column predicate = wholeMonth ? DeltaWriter.inMonth(month.toString())
                : DeltaWriter.inMonth(month.toString()).and(col(Columns.SITE_ID).isin(versions.keySet().toArray()));
        writer.replace(OutputTables.PLAN_SEGMENTS, LocalRows.of(spark, rows, OutputTables.PLAN_SEGMENTS.schema()), predicate);
    }

    /** The site's zones in force from a day before the month to a day after it (local dates lie within 14 hours of UTC). */
    private List<Row> timeZones(String site, YearMonth month) {
        Instant from = month.atDay(1).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(1).atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        return zones.intervalsOf(site).stream()
                .filter(i -> (i.from() == null || i.from().isBefore(to)) && (i.to() == null || i.to().isAfter(from)))
                .map(i -> RowFactory.create(i.zoneId(), i.from()))
                .toList();
    }

    private List<String> writeProjections(YearMonth month, String runId, Instant asOf) {
        String monthText = month.toString();
        Map<String, Map<LocalDate, Long>> darsPerDay = new TreeMap<>();
        writer.read(OutputTables.CREDIT_USAGE).where(col(Columns.BILLING_MONTH).equalTo(monthText)).select(Columns.SITE_ID).distinct()
                .collectAsList().forEach(r -> darsPerDay.put(r.getString(0), new HashMap<>()));
        for (Row r : writer.read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).where(col(Columns.BILLING_MONTH).equalTo(monthText))
                .groupBy(Columns.SITE_ID, Columns.LOCAL_DATE).count().collectAsList()) {
            darsPerDay.computeIfAbsent(r.getString(0), s -> new HashMap<>()).put((LocalDate) r.get(1), r.getLong(2));
        }
        Map<String, Level> previous = previousLevels(monthText, asOf);
        List<SiteProjection> projections = new ArrayList<>();
        darsPerDay.forEach((site, days) -> zoneAt(site, asOf).ifPresent(zone -> projections.add(Projections.project(site, month, asOf,
                zone, LocalDate.ofInstant(asOf, ZoneId.of(zone)), segments(site, month), days))));
        Column predicate = DeltaWriter.inMonth(monthText).and(col("as_of").equalTo(lit(asOf)));
        writer.replace(OutputTables.USAGE_PROJECTIONS, LocalRows.of(spark, projections.stream().map(p -> row(p, runId)).toList(),
                OutputTables.USAGE_PROJECTIONS.schema()), predicate);
        List<String> levelUps = new ArrayList<>();
        for (SiteProjection p : projections) {
            Level before = previous.get(p.siteId());
            if (p.level().isAbove(before == null ? Level.OK : before)) {
                levelUps.add(ProjectionText.levelUp(p, before));
            }
        }
        return levelUps;
    }

    /** Each site's level in its latest projection of the month before {@code asOf}. */
    private Map<String, Level> previousLevels(String month, Instant asOf) {
        Map<String, Instant> latest = new HashMap<>();
        Map<String, Level> levels = new TreeMap<>();
        for (Row r : writer.read(OutputTables.USAGE_PROJECTIONS).where(col(Columns.BILLING_MONTH).equalTo(month)
                .and(col("as_of").lt(asOf))).select(Columns.SITE_ID, "as_of", "level").collectAsList()) {
            Instant at = (Instant) r.get(1);
            if (!latest.containsKey(r.getString(0)) || at.isAfter(latest.get(r.getString(0)))) {
                latest.put(r.getString(0), at);
                levels.put(r.getString(0), Level.valueOf(r.getString(2)));
            }
        }
        return levels;
    }

    /** The site's valid zone in force at {@code asOf}, or its latest valid one before. */
    private Optional<String> zoneAt(String site, Instant asOf) {
        return zones.intervalsOf(site).stream()
                .filter(i -> i.valid() && (i.from() == null || !i.from().isAfter(asOf)))
                .reduce((a, b) -> b)
                .map(ZoneInterval::zoneId);
    }

    private static Row row(SiteProjection p, String runId) {
        List<Row> segments = new ArrayList<>();
        for (SegmentProjection s : p.segments()) {
            segments.add(RowFactory.create(s.segment().planId(), s.segment().planVersion(), s.segment().days(), s.completeDays(),
                    s.segment().includedDar(), s.darsSoFar(), s.projectedDars(), s.projectedOverageBlocks(), s.projectedOverageAmount(),
                    s.segment().currency()));
        }
        return RowFactory.create(p.siteId(), p.month().toString(), p.asOf(), p.timeZone(), p.darsSoFar(), p.completeDays(),
                p.daysInMonth(), p.projectedDars(), p.includedDar(), p.projectedOverageBlocks(), p.projectedOverageAmount(), p.currency(),
                p.level().name(), segments, runId);
    }
}
