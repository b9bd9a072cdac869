package com.darbilling.projection;

import com.darbilling.plan.BillingMath;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The projection method, in integers: a site's DARs per complete local day so far (all its days,
 * planned or not), times each segment's days still to come, plus the DARs already counted on the
 * segment's complete days; never less than the DARs the segment already has. Without a complete
 * day there is no rate yet: the projection is the DARs counted.
 */
public final class Projections {
    private Projections() {
    }

    /**
     * @param localToday  the site's local date at {@code asOf}: the days of the month before it are complete
     * @param segments    the month's segments, covering every day (see {@link Segment#of})
     * @param darsPerDay  DARs per local date of the month
     */
    public static SiteProjection project(String siteId, YearMonth month, Instant asOf, String timeZone, LocalDate localToday,
                                         List<Segment> segments, Map<LocalDate, Long> darsPerDay) {
        int completeDays = 0;
        long completeDars = 0;
        for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()) && day.isBefore(localToday); day = day.plusDays(1)) {
            completeDays++;
            completeDars += darsPerDay.getOrDefault(day, 0L);
        }
        List<SegmentProjection> projected = new ArrayList<>();
        for (Segment segment : segments) {
            int segmentComplete = 0;
            long countedComplete = 0;
            long soFar = 0;
            for (LocalDate day : segment.dates()) {
                long dars = darsPerDay.getOrDefault(day, 0L);
                soFar += dars;
                if (day.isBefore(localToday)) {
                    segmentComplete++;
                    countedComplete += dars;
                }
            }
            long toCome = segment.days() - segmentComplete;
            long estimate = completeDays == 0 ? soFar
                    : countedComplete + BillingMath.divide(Math.multiplyExact(completeDars, toCome), completeDays, RoundingMode.HALF_UP);
            projected.add(new SegmentProjection(segment, segmentComplete, soFar, Math.max(soFar, estimate)));
        }
        return new SiteProjection(siteId, month, asOf, timeZone, completeDays, projected);
    }

    /**
     * Whether {@code month} is still in progress at {@code asOf}: until the first instant of the next
     * month in UTC. From then on its figures are the month's (late rows still re-rate it; a cutoff at
     * the start of the next month bills a complete month, see --as-of).
     */
    public static boolean inProgress(YearMonth month, Instant asOf) {
        return asOf.isBefore(month.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
}
