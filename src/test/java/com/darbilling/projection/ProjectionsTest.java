package com.darbilling.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.testing.Catalogs;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The projection method on months worked by hand. */
class ProjectionsTest {
    private static final PlanCatalog CATALOG = Catalogs.starterAndGrowth("0.10");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final Instant AS_OF = Instant.parse("2026-10-13T00:00:00Z");

    private static List<Segment> segments(YearMonth month, PlanAssignment... assignments) {
        return Segment.of(PlanCalendar.of("s", List.of(assignments), month, CATALOG));
    }

    private static List<Segment> starterAllMonth(YearMonth month) {
        return segments(month, new PlanAssignment("s", "starter", null, null, false));
    }

    private static Map<LocalDate, Long> perDay(YearMonth month, int firstDay, int lastDay, long darsPerDay) {
        Map<LocalDate, Long> dars = new HashMap<>();
        for (int d = firstDay; d <= lastDay; d++) {
            dars.put(month.atDay(d), darsPerDay);
        }
        return dars;
    }

    private static String segmentFigures(SegmentProjection s) {
        return s.segment().label() + ": complete " + s.completeDays() + ", so far " + s.darsSoFar() + ", projected " + s.projectedDars()
                + ", blocks " + s.projectedOverageBlocks() + ", amount " + s.projectedOverageAmount() + ", " + s.level();
    }

    @Test
    void theUpgradedSampleSiteOnTheThirteenthIsHeadingOverInItsStarterSegment() {
        // s-upgrade: 1,000 DARs on 10-05, zone UTC, as of 2026-10-13T00:00Z: days 1-12 complete, 1,000 / 12 a day.
        // starter (10-01..10-15, 968 included): 1,000 + round(1,000 x 3 / 12 = 250) = 1,250: 282 over = 3 blocks = 117.00
        // growth (10-16..10-31, 2,581 included): 0 + round(1,000 x 16 / 12 = 1,333.3) = 1,333: 51.6%, OK
        SiteProjection p = Projections.project("s-upgrade", OCTOBER, AS_OF, "UTC", LocalDate.of(2026, 10, 13),
                segments(OCTOBER, new PlanAssignment("s", "starter", null, OCTOBER.atDay(16), false),
                        new PlanAssignment("s", "growth", OCTOBER.atDay(16), null, true)),
                Map.of(OCTOBER.atDay(5), 1000L));
        assertEquals(List.of("starter 2020-09-04: complete 12, so far 1000, projected 1250, blocks 3, amount 117.00, OVER",
                        "growth 2026-01-01: complete 0, so far 0, projected 1333, blocks 0, amount 0.00, OK"),
                p.segments().stream().map(ProjectionsTest::segmentFigures).toList());
        assertEquals(12, p.completeDays());
        assertEquals(31, p.daysInMonth());
        assertEquals(1000, p.darsSoFar());
        assertEquals(2583, p.projectedDars());
        assertEquals(3549, p.includedDar());
        assertEquals(3, p.projectedOverageBlocks());
        assertEquals(new BigDecimal("117.00"), p.projectedOverageAmount());
        assertEquals("USD", p.currency());
        assertEquals(Level.OVER, p.level());
    }

    @Test
    void theKolkataSampleSiteOnTheThirteenth() {
        // 2,101 DARs on 10-12; at 2026-10-13T00:00Z Kolkata (+05:30) is on 10-13: 12 complete days.
        // 2,101 + round(2,101 x 19 / 12 = 3,326.6) = 5,428 DARs: 3,428 over 2,000 = 35 blocks = 1,365.00 USD.
        SiteProjection p = Projections.project("s-kolkata", OCTOBER, AS_OF, "Asia/Kolkata", LocalDate.of(2026, 10, 13),
                starterAllMonth(OCTOBER), Map.of(OCTOBER.atDay(12), 2101L));
        assertEquals(5428, p.projectedDars());
        assertEquals(35, p.projectedOverageBlocks());
        assertEquals(new BigDecimal("1365.00"), p.projectedOverageAmount());
        assertEquals(Level.OVER, p.level());
        assertEquals("projection: s-kolkata 2026-10 new -> OVER: 5,428 DARs projected, 2,000 included, 35 overage blocks = 1,365.00 USD "
                + "(2,101 DARs on 12 of 31 days complete, as of 2026-10-13T00:00:00Z)", ProjectionText.levelUp(p, null));
    }

    @Test
    void nearStartsAtEightyPercentOfTheAllowance() {
        // November, 30 days, 2,000 included; 15 complete days. 800 DARs: 800 + 800 x 15 / 15 = 1,600 = 80% -> NEAR.
        // 799 DARs: 799 + 799 = 1,598 < 1,600 -> OK.
        LocalDate sixteenth = NOVEMBER.atDay(16);
        Map<LocalDate, Long> eighty = perDay(NOVEMBER, 1, 15, 0);
        eighty.put(NOVEMBER.atDay(3), 800L);
        Map<LocalDate, Long> under = new HashMap<>(eighty);
        under.put(NOVEMBER.atDay(3), 799L);
        SiteProjection near = Projections.project("s", NOVEMBER, AS_OF, "UTC", sixteenth, starterAllMonth(NOVEMBER), eighty);
        SiteProjection ok = Projections.project("s", NOVEMBER, AS_OF, "UTC", sixteenth, starterAllMonth(NOVEMBER), under);
        assertEquals(1600, near.projectedDars());
        assertEquals(Level.NEAR, near.level());
        assertEquals(new BigDecimal("0.00"), near.projectedOverageAmount());
        assertEquals(1598, ok.projectedDars());
        assertEquals(Level.OK, ok.level());
        assertTrue(Level.NEAR.isAbove(Level.OK));
        assertTrue(Level.OVER.isAbove(Level.NEAR));
        assertFalse(Level.NEAR.isAbove(Level.NEAR));
    }

    @Test
    void theDayInProgressCountsOnlyWhenItAlreadyHasMoreThanTheEstimate() {
        LocalDate second = NOVEMBER.atDay(2);
        // 1 complete day of 10 DARs, 50 so far today: 10 + round(10 x 29 / 1) = 300, more than the 60 counted.
        assertEquals(300, Projections.project("s", NOVEMBER, AS_OF, "UTC", second, starterAllMonth(NOVEMBER),
                Map.of(NOVEMBER.atDay(1), 10L, second, 50L)).projectedDars());
        // A quiet first day and a busy second one: the estimate 0 + 0 is below the 100 counted: 100.
        assertEquals(100, Projections.project("s", NOVEMBER, AS_OF, "UTC", second, starterAllMonth(NOVEMBER),
                Map.of(second, 100L)).projectedDars());
        // No complete day yet: no rate, the projection is what was counted.
        SiteProjection first = Projections.project("s", NOVEMBER, AS_OF, "UTC", NOVEMBER.atDay(1), starterAllMonth(NOVEMBER),
                Map.of(NOVEMBER.atDay(1), 7L));
        assertEquals(0, first.completeDays());
        assertEquals(7, first.projectedDars());
    }

    @Test
    void daysWithoutAPlanAreProjectedButIncludeNothingAndCostNothing() {
        // s-mover: starter 10-01..10-20 (1,290 included), no plan 10-21..10-31. DARs 2 on 10-14, 1 on 10-15; 15 days complete.
        // starter: 3 + round(3 x 5 / 15 = 1) = 4; no plan: 0 + round(3 x 11 / 15 = 2.2) = 2.
        SiteProjection p = Projections.project("s-mover", OCTOBER, AS_OF, "Asia/Tokyo", OCTOBER.atDay(16),
                segments(OCTOBER, new PlanAssignment("s", "starter", null, OCTOBER.atDay(21), false)),
                Map.of(OCTOBER.atDay(14), 2L, OCTOBER.atDay(15), 1L));
        assertEquals(List.of("starter 2020-09-04: complete 15, so far 3, projected 4, blocks 0, amount 0.00, OK",
                "no plan: complete 0, so far 0, projected 2, blocks 0, amount null, OK"), p.segments().stream().map(ProjectionsTest::segmentFigures).toList());
        assertEquals(6, p.projectedDars());
        assertEquals(1290, p.includedDar());
        assertEquals("USD", p.currency());
        assertEquals(new BigDecimal("0.00"), p.projectedOverageAmount());
    }

    @Test
    void noPlanAtAllHasNoCurrencyAndNoAmount() {
        SiteProjection p = Projections.project("s", OCTOBER, AS_OF, "UTC", OCTOBER.atDay(13), segments(OCTOBER),
                Map.of(OCTOBER.atDay(2), 4L));
        assertEquals(0, p.includedDar());
        assertNull(p.currency());
        assertNull(p.projectedOverageAmount());
        assertEquals(Level.OK, p.level());
    }

    @Test
    void aMonthIsInProgressUntilTheFirstInstantOfTheNextInUtc() {
        assertTrue(Projections.inProgress(OCTOBER, Instant.parse("2026-10-31T23:59:59Z")));
        assertFalse(Projections.inProgress(OCTOBER, Instant.parse("2026-11-01T00:00:00Z")));
        assertTrue(Projections.inProgress(NOVEMBER, Instant.parse("2026-10-31T20:00:00Z")), "Tokyo is on November 1st already");
    }
}
