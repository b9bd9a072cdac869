package com.darbilling.plan;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rating of each local date of one site in one billing month (R8). */
public final class PlanCalendar {
    private final YearMonth month;
    private final Map<LocalDate, DayRating> days;

    private PlanCalendar(YearMonth month, Map<LocalDate, DayRating> days) {
        this.month = month;
        this.days = days;
    }

    /**
     * Builds the calendar of one site. Fails on overlapping assignments and on a plan the catalog
     * cannot rate for the month: pricing such days by a default would be a guess.
     */
    public static PlanCalendar of(String siteId, Collection<PlanAssignment> assignments, YearMonth month,
                                  PlanCatalog catalog) {
        checkNoOverlap(siteId, assignments);
        Map<String, RateCard> cardByPlan = new HashMap<>();
        Map<LocalDate, DayRating> days = new LinkedHashMap<>();
        for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
            for (PlanAssignment assignment : assignments) {
                if (assignment.covers(day)) {
                    RateCard card = cardByPlan.computeIfAbsent(assignment.planId(), plan -> cardOrFail(siteId, plan, month, catalog));
                    days.put(day, new DayRating(card, assignment.intentManager()));
                }
            }
        }
        return new PlanCalendar(month, days);
    }

    public static void checkNoOverlap(String siteId, Collection<PlanAssignment> assignments) {
        List<PlanAssignment> sorted = new ArrayList<>(assignments);
        sorted.sort(Comparator.comparing(PlanAssignment::effectiveFrom, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (int i = 0; i < sorted.size(); i++) {
            PlanAssignment a = sorted.get(i);
            if (a.effectiveFrom() != null && a.effectiveTo() != null && !a.effectiveFrom().isBefore(a.effectiveTo())) {
                throw new IllegalArgumentException("site_plans: site " + siteId + " has an assignment that ends before it starts: " + a.describe());
            }
            for (int j = i + 1; j < sorted.size(); j++) {
                if (a.overlaps(sorted.get(j))) {
                    throw new IllegalArgumentException("site_plans: site " + siteId + " has overlapping plan assignments "
                            + a.describe() + " and " + sorted.get(j).describe());
                }
            }
        }
    }

    private static RateCard cardOrFail(String siteId, String planId, YearMonth month, PlanCatalog catalog) {
        try {
            return catalog.cardFor(planId, month);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("site_plans: site " + siteId + ": " + e.getMessage(), e);
        }
    }

    public Optional<DayRating> on(LocalDate day) {
        return Optional.ofNullable(days.get(day));
    }

    /** Days of the month rated with each card, in order of first appearance. */
    public Map<RateCard, Long> segmentDays() {
        Map<RateCard, Long> segments = new LinkedHashMap<>();
        days.values().forEach(d -> segments.merge(d.card(), 1L, Long::sum));
        return segments;
    }

    /** The card of the month's last rated day, if any day is rated (R9, platform users). */
    public Optional<RateCard> lastRatedCard() {
        return days.keySet().stream().max(Comparator.naturalOrder()).map(d -> days.get(d).card());
    }

    public YearMonth month() {
        return month;
    }
}
