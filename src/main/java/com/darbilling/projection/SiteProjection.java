package com.darbilling.projection;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A site's month in progress, projected to its end: the row of usage_projections.
 *
 * @param timeZone the site's zone at {@code asOf}, in which the complete local days were counted
 */
public record SiteProjection(String siteId, YearMonth month, Instant asOf, String timeZone, int completeDays,
                             List<SegmentProjection> segments) {

    public SiteProjection {
        segments = List.copyOf(segments);
    }

    public int daysInMonth() {
        return month.lengthOfMonth();
    }

    public long darsSoFar() {
        return segments.stream().mapToLong(SegmentProjection::darsSoFar).sum();
    }

    public long projectedDars() {
        return segments.stream().mapToLong(SegmentProjection::projectedDars).sum();
    }

    /** The sum of the segments' prorated allowances. */
    public long includedDar() {
        return segments.stream().mapToLong(s -> s.segment().includedDar()).sum();
    }

    public long projectedOverageBlocks() {
        return segments.stream().mapToLong(SegmentProjection::projectedOverageBlocks).sum();
    }

    /** The one currency of the month's plans; null without a plan or with several. */
    public String currency() {
        List<String> currencies = segments.stream().map(s -> s.segment().currency()).filter(Objects::nonNull).distinct().toList();
        return currencies.size() == 1 ? currencies.get(0) : null;
    }

    /** The segments' projected overage summed; null when there is no single currency to add them in. */
    public BigDecimal projectedOverageAmount() {
        if (currency() == null) {
            return null;
        }
        return segments.stream().map(SegmentProjection::projectedOverageAmount).filter(Objects::nonNull)
                .reduce(BigDecimal::add).orElseThrow();
    }

    /** The highest level of the segments. */
    public Level level() {
        return segments.stream().map(SegmentProjection::level).max(Comparator.naturalOrder()).orElse(Level.OK);
    }
}
