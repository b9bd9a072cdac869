package com.darbilling.statement;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.projection.Segment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a site's statement of one month shows, as read from the tables: plain values, so that
 * pages are rendered (and tested) without Spark.
 *
 * @param segments     rows of plan_segments; empty when the month was rated before they were recorded
 * @param zones        the site's zones in force during the month (plan_segments.time_zones); empty when unknown
 * @param darsPerDay   DARs per local date
 * @param lines        the month's invoice lines, every version
 * @param linesRun     the run that wrote the lines of the latest version
 * @param usageRun     the run that wrote the credit usage
 * @param quarantined  quarantined rows of the month whose record names this site, by input and reason
 * @param projection   the latest projection, shown when the month was still in progress at the figures' cutoff
 */
public record SiteStatement(String siteId, YearMonth month, List<Segment> segments, List<ZoneSpan> zones,
                            SortedMap<LocalDate, Long> darsPerDay, List<Credit> credits, List<InvoiceLine> lines, Run linesRun,
                            Run usageRun, Map<String, Long> quarantined, Optional<Projection> projection) {

    /** A zone of the site and the instant from which it applies (null: since always). */
    public record ZoneSpan(String zone, Instant from) {
    }

    /** A row of credit_usage. */
    public record Credit(String category, long usageQuantity, BigDecimal credits) {
    }

    /** A row of runs: where the figures come from. */
    public record Run(String runId, String command, String status, Instant asOf, Instant finishedAt) {
    }

    /** A segment's share of a projection row. */
    public record SegmentOutlook(String planId, String planVersion, int segmentDays, int completeDays, long includedDar,
                                 long darsSoFar, long projectedDars, long overageBlocks, BigDecimal overageAmount, String currency) {
    }

    /** A row of usage_projections. */
    public record Projection(Instant asOf, String timeZone, long darsSoFar, int completeDays, int daysInMonth, long projectedDars,
                             long includedDar, long overageBlocks, BigDecimal overageAmount, String currency, String level,
                             String runId, List<SegmentOutlook> segments) {
    }

    /** An ADJUSTMENT line of the latest version beside the FINAL line it corrects and the new line. */
    public record Correction(InvoiceLine finalLine, InvoiceLine adjustment, InvoiceLine newLine) {
    }

    public SiteStatement {
        segments = List.copyOf(segments);
        zones = List.copyOf(zones);
        darsPerDay = new TreeMap<>(darsPerDay);
        credits = List.copyOf(credits);
        lines = List.copyOf(lines);
        quarantined = new TreeMap<>(quarantined);
    }

    public long dars() {
        return darsPerDay.values().stream().mapToLong(Long::longValue).sum();
    }

    public long includedDar() {
        return segments.stream().mapToLong(Segment::includedDar).sum();
    }

    public int latestVersion() {
        return lines.stream().mapToInt(InvoiceLine::invoiceVersion).max().orElse(0);
    }

    /** The status of the latest version: FINAL once closed. */
    public Optional<InvoiceStatus> latestStatus() {
        return latest().stream().map(InvoiceLine::status).max(Comparator.naturalOrder());
    }

    /** The lines of the latest version, ADJUSTMENT lines included, in line-type order. */
    public List<InvoiceLine> latest() {
        int version = latestVersion();
        return lines.stream().filter(l -> l.invoiceVersion() == version)
                .sorted(Comparator.comparing((InvoiceLine l) -> l.lineType() == LineType.ADJUSTMENT)
                        .thenComparing(l -> segmentOrder(l.planId(), l.planVersion()))
                        .thenComparing(InvoiceLine::lineType)
                        .thenComparing(l -> String.valueOf(l.adjustedLineType())))
                .toList();
    }

    public List<InvoiceLine> latestRegular() {
        return latest().stream().filter(l -> l.lineType() != LineType.ADJUSTMENT).toList();
    }

    private int segmentOrder(String planId, String planVersion) {
        for (int i = 0; i < segments.size(); i++) {
            if (Objects.equals(segments.get(i).planId(), planId) && Objects.equals(segments.get(i).planVersion(), planVersion)) {
                return i;
            }
        }
        return planId == null ? Integer.MAX_VALUE : segments.size();
    }

    /** Sum of a line type's quantities in the latest version. */
    public BigDecimal quantityOf(LineType type) {
        return latestRegular().stream().filter(l -> l.lineType() == type).map(InvoiceLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Money of the latest version's regular lines of {@code type} (all types when null), per currency. */
    public Map<String, BigDecimal> amounts(LineType type) {
        Map<String, BigDecimal> byCurrency = new TreeMap<>();
        latestRegular().stream().filter(l -> type == null || l.lineType() == type).filter(l -> l.amount() != null && l.currency() != null)
                .forEach(l -> byCurrency.merge(l.currency(), l.amount(), BigDecimal::add));
        return byCurrency;
    }

    /**
     * The latest version's ADJUSTMENT lines, each beside the line of the FINAL version it corrects
     * (the latest FINAL version before it) and the new line of the latest version.
     */
    public List<Correction> corrections() {
        int version = latestVersion();
        int finalVersion = lines.stream().filter(l -> l.status() == InvoiceStatus.FINAL && l.invoiceVersion() < version)
                .mapToInt(InvoiceLine::invoiceVersion).max().orElse(0);
        List<Correction> out = new ArrayList<>();
        for (InvoiceLine a : latest()) {
            if (a.lineType() != LineType.ADJUSTMENT) {
                continue;
            }
            out.add(new Correction(find(finalVersion, a.planId(), a.planVersion(), a.adjustedLineType()), a,
                    find(version, a.planId(), a.planVersion(), a.adjustedLineType())));
        }
        return out;
    }

    private InvoiceLine find(int version, String planId, String planVersion, LineType type) {
        return lines.stream().filter(l -> l.invoiceVersion() == version && l.lineType() == type && Objects.equals(l.planId(), planId)
                && Objects.equals(l.planVersion(), planVersion)).findFirst().orElse(null);
    }

    /** The run the figures come from: the later of the one that wrote the invoice and the one that wrote the usage. */
    public Run figuresRun() {
        if (linesRun == null) {
            return usageRun;
        }
        if (usageRun == null || usageRun.asOf() == null || (linesRun.asOf() != null && !usageRun.asOf().isAfter(linesRun.asOf()))) {
            return linesRun;
        }
        return usageRun;
    }

    /** The zone the statement names: the one in force at the end of the month (the last listed). */
    public Optional<String> zone() {
        return zones.isEmpty() ? Optional.empty() : Optional.of(zones.get(zones.size() - 1).zone());
    }

    /** The segment of a local date, if the segments are known. */
    public Optional<Segment> segmentOf(LocalDate day) {
        return segments.stream().filter(s -> s.contains(day)).findFirst();
    }
}
