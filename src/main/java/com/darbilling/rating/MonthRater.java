package com.darbilling.rating;

import com.darbilling.plan.DayRating;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.plan.RateCard;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Rates one billing month of every site with usage (R2-R8), in plain Java. */
public final class MonthRater {
    private MonthRater() {
    }

    /**
     * @param usage         usage per site and local date, all in {@code month}
     * @param platformUsers distinct AGENT and BOT senders per site in {@code month}
     * @param assignments   plan assignments per site
     */
    public static List<SiteMonth> rate(YearMonth month, List<DayUsage> usage, Map<String, Long> platformUsers,
                                       Map<String, List<PlanAssignment>> assignments, PlanCatalog catalog) {
        Map<String, List<DayUsage>> bySite = usage.stream()
                .collect(Collectors.groupingBy(DayUsage::siteId, TreeMap::new, Collectors.toList()));
        List<SiteMonth> rated = new ArrayList<>();
        for (var entry : bySite.entrySet()) {
            String siteId = entry.getKey();
            PlanCalendar calendar = PlanCalendar.of(siteId, assignments.getOrDefault(siteId, List.of()), month, catalog);
            rated.add(rateSite(siteId, month, entry.getValue(), platformUsers.getOrDefault(siteId, 0L), calendar));
        }
        return rated;
    }

    static SiteMonth rateSite(String siteId, YearMonth month, List<DayUsage> days, long platformUsers,
                              PlanCalendar calendar) {
        Map<RateCard, long[]> perCard = new LinkedHashMap<>();
        calendar.segmentDays().keySet().forEach(card -> perCard.put(card, new long[4]));
        long dars = 0;
        long sessions = 0;
        long invocations = 0;
        long unratedDars = 0;
        for (DayUsage day : days) {
            if (!YearMonth.from(day.localDate()).equals(month)) {
                throw new IllegalArgumentException("usage of site " + siteId + " on " + day.localDate() + " is not in " + month);
            }
            dars += day.dars();
            sessions += day.sessions();
            invocations += day.invocations();
            Optional<DayRating> rating = calendar.on(day.localDate());
            if (rating.isEmpty()) {
                unratedDars += day.dars();
                continue;
            }
            long[] totals = perCard.get(rating.get().card());
            totals[0] += day.dars();
            totals[1] += rating.get().intentManager() ? day.dars() : 0;
            totals[2] += day.interactiveSessions();
            totals[3] += day.invocations();
        }
        List<SegmentCharge> segments = new ArrayList<>();
        Map<RateCard, Long> segmentDays = calendar.segmentDays();
        for (var entry : perCard.entrySet()) {
            long[] t = entry.getValue();
            segments.add(new SegmentCharge(entry.getKey(), segmentDays.get(entry.getKey()), month.lengthOfMonth(),
                    t[0], t[1], t[2], t[3]));
        }
        return new SiteMonth(siteId, month, segments, dars, sessions, invocations, unratedDars, platformUsers,
                calendar.lastRatedCard().orElse(null));
    }
}
