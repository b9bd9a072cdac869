package com.darbilling.projection;

import com.darbilling.plan.BillingMath;
import com.darbilling.plan.DayRating;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.RateCard;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A span of a site's billing month rated alike (R8): the days rated with one rate card, or the days
 * without a plan ({@code planId} null, nothing included). Allowances are prorated as rating does.
 */
public record Segment(String planId, String planVersion, String currency, List<LocalDate> dates, int daysInMonth,
                      long includedDar, long overageBlockSize, BigDecimal overageBlockPrice, long freeInvocations,
                      int intentManagerDays) {

    public Segment {
        dates = List.copyOf(dates);
        if (dates.isEmpty()) {
            throw new IllegalArgumentException("a segment has at least one day");
        }
    }

    /** The segments of a site's month, in order of their first day; the days without a plan last, if any. */
    public static List<Segment> of(PlanCalendar calendar) {
        YearMonth month = calendar.month();
        Map<RateCard, List<LocalDate>> byCard = new LinkedHashMap<>();
        Map<RateCard, Integer> intentDays = new LinkedHashMap<>();
        List<LocalDate> unassigned = new ArrayList<>();
        for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
            Optional<DayRating> rating = calendar.on(day);
            if (rating.isEmpty()) {
                unassigned.add(day);
                continue;
            }
            byCard.computeIfAbsent(rating.get().card(), c -> new ArrayList<>()).add(day);
            intentDays.merge(rating.get().card(), rating.get().intentManager() ? 1 : 0, Integer::sum);
        }
        int daysInMonth = month.lengthOfMonth();
        List<Segment> segments = new ArrayList<>();
        byCard.forEach((card, days) -> segments.add(new Segment(card.planId(), card.version(), card.currency(), days, daysInMonth,
                BillingMath.prorate(card.includedDar(), days.size(), daysInMonth), card.overageBlockSize(), card.overageBlockPrice(),
                BillingMath.prorate(card.functionsFreeInvocations(), days.size(), daysInMonth), intentDays.get(card))));
        if (!unassigned.isEmpty()) {
            segments.add(new Segment(null, null, null, unassigned, daysInMonth, 0, 0, null, 0, 0));
        }
        return segments;
    }

    public boolean rated() {
        return planId != null;
    }

    public int days() {
        return dates.size();
    }

    public LocalDate firstDate() {
        return dates.get(0);
    }

    public LocalDate lastDate() {
        return dates.get(dates.size() - 1);
    }

    public boolean contains(LocalDate day) {
        return dates.contains(day);
    }

    /** Overage blocks that {@code dars} would cost in this segment (R3); none without a plan. */
    public long overageBlocks(long dars) {
        return rated() ? BillingMath.blocksAbove(dars, includedDar, overageBlockSize) : 0;
    }

    /** Their amount in {@link #currency()}; null without a plan. */
    public BigDecimal overageAmount(long dars) {
        return rated() ? BillingMath.money(overageBlocks(dars), overageBlockPrice) : null;
    }

    /** "starter 2020-09-04", or "no plan". */
    public String label() {
        return rated() ? planId + " " + planVersion : "no plan";
    }
}
