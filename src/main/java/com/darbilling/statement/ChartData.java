package com.darbilling.statement;

import com.darbilling.projection.Segment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The series the charts draw, one set per plan segment and day of the month: DARs per day, DARs
 * cumulated within the segment (overage is per segment, R3/R8), the segment's included DARs and,
 * for a month in progress, the projection from the last complete day to the segment's end.
 */
final class ChartData {
    private ChartData() {
    }

    static Map<String, Object> of(SiteStatement s) {
        YearMonth month = s.month();
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
            days.add(d);
        }
        List<Segment> segments = s.segments().isEmpty()
                ? List.of(new Segment(null, null, null, days, days.size(), 0, 0, null, 0, 0))
                : s.segments();
        Optional<SiteStatement.Projection> projection = s.projection();
        // Days up to the last one with DARs or the last complete one are drawn; later days of a month in progress are not.
        LocalDate lastDrawn = month.atEndOfMonth();
        if (projection.isPresent()) {
            LocalDate lastComplete = month.atDay(1).plusDays(projection.get().completeDays() - 1L);
            LocalDate lastWithDars = s.darsPerDay().isEmpty() ? lastComplete : s.darsPerDay().lastKey();
            lastDrawn = lastWithDars.isAfter(lastComplete) ? lastWithDars : lastComplete;
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (Segment segment : segments) {
            List<Long> daily = new ArrayList<>();
            List<Long> cumulative = new ArrayList<>();
            List<Long> included = new ArrayList<>();
            long sum = 0;
            for (LocalDate d : days) {
                boolean in = segment.contains(d);
                long dars = s.darsPerDay().getOrDefault(d, 0L);
                daily.add(in ? dars : null);
                sum += in ? dars : 0;
                cumulative.add(in && !d.isAfter(lastDrawn) ? sum : null);
                included.add(in && segment.rated() ? segment.includedDar() : null);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", s.segments().isEmpty() ? "DARs (plan segments not recorded)" : segment.label());
            m.put("rated", segment.rated());
            m.put("dailyDars", daily);
            m.put("cumulativeDars", cumulative);
            m.put("included", included);
            projection.flatMap(p -> projected(p, segment, days, s.darsPerDay())).ifPresent(p -> m.put("projected", p));
            series.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("site", s.siteId());
        data.put("month", month.toString());
        data.put("days", days.stream().map(LocalDate::toString).toList());
        data.put("segments", series);
        return data;
    }

    /**
     * From the segment's DARs on its complete days, a straight line to its projected month-end DARs
     * over its days still to come (chart coordinates, rounded half up to whole DARs).
     */
    private static Optional<List<Long>> projected(SiteStatement.Projection p, Segment segment, List<LocalDate> days,
                                                  Map<LocalDate, Long> darsPerDay) {
        Optional<SiteStatement.SegmentOutlook> outlook = p.segments().stream()
                .filter(o -> Objects.equals(o.planId(), segment.planId()) && Objects.equals(o.planVersion(), segment.planVersion()))
                .findFirst();
        LocalDate firstIncomplete = days.get(0).plusDays(p.completeDays());
        List<LocalDate> toCome = segment.dates().stream().filter(d -> !d.isBefore(firstIncomplete)).toList();
        if (outlook.isEmpty() || toCome.isEmpty()) {
            return Optional.empty();
        }
        List<LocalDate> complete = segment.dates().stream().filter(d -> d.isBefore(firstIncomplete)).toList();
        long start = complete.stream().mapToLong(d -> darsPerDay.getOrDefault(d, 0L)).sum();
        long end = outlook.get().projectedDars();
        LocalDate anchor = complete.isEmpty() ? null : complete.get(complete.size() - 1);
        List<Long> values = new ArrayList<>();
        int k = 0;
        for (LocalDate d : days) {
            if (d.equals(anchor)) {
                values.add(start);
            } else if (toCome.contains(d)) {
                k++;
                values.add(start + BigDecimal.valueOf(end - start).multiply(BigDecimal.valueOf(k))
                        .divide(BigDecimal.valueOf(toCome.size()), 0, RoundingMode.HALF_UP).longValue());
            } else {
                values.add(null);
            }
        }
        return Optional.of(values);
    }
}
