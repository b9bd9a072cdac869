package com.darbilling.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import com.darbilling.testing.Catalogs;
import org.junit.jupiter.api.Test;

class PlanCalendarTest {
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final PlanCatalog CATALOG = Catalogs.starterAndGrowth("0.10");

    private static PlanAssignment plan(String plan, String from, String to, boolean intent) {
        return new PlanAssignment("s", plan, from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to), intent);
    }

    @Test
    void aMonthWithOneUnassignedDayIsOneProratedSegment() {
        // 30-day month, 29 assigned days: 2,000 * 29 / 30 = 1,933 included (the spec's example).
        PlanCalendar calendar = PlanCalendar.of("s", List.of(plan("starter", null, "2026-11-30", false)), NOVEMBER, CATALOG);
        Map<RateCard, Long> segments = calendar.segmentDays();
        assertEquals(1, segments.size());
        RateCard starter = segments.keySet().iterator().next();
        assertEquals(29L, segments.get(starter));
        assertEquals(1933, BillingMath.prorate(starter.includedDar(), 29, 30));
        assertTrue(calendar.on(LocalDate.of(2026, 11, 29)).isPresent());
        assertFalse(calendar.on(LocalDate.of(2026, 11, 30)).isPresent());
    }

    @Test
    void planChangeMidMonthMakesTwoSegments() {
        PlanCalendar calendar = PlanCalendar.of("s", List.of(
                plan("starter", null, "2026-11-16", false),
                plan("growth", "2026-11-16", null, true)), NOVEMBER, CATALOG);
        Map<RateCard, Long> segments = calendar.segmentDays();
        assertEquals(List.of("starter", "growth"), segments.keySet().stream().map(RateCard::planId).toList());
        assertEquals(List.of(15L, 15L), List.copyOf(segments.values()));
        assertEquals("growth", calendar.lastRatedCard().orElseThrow().planId());
        assertTrue(calendar.on(LocalDate.of(2026, 11, 16)).orElseThrow().intentManager());
        assertFalse(calendar.on(LocalDate.of(2026, 11, 15)).orElseThrow().intentManager());
    }

    @Test
    void switchingIntentManagerDoesNotCutTheSegment() {
        PlanCalendar calendar = PlanCalendar.of("s", List.of(
                plan("starter", null, "2026-11-10", false),
                plan("starter", "2026-11-10", null, true)), NOVEMBER, CATALOG);
        assertEquals(1, calendar.segmentDays().size());
        assertEquals(30L, calendar.segmentDays().values().iterator().next());
    }

    @Test
    void lastRatedCardIsThatOfTheLastAssignedDay() {
        PlanCalendar calendar = PlanCalendar.of("s", List.of(
                plan("growth", null, "2026-11-10", false),
                plan("starter", "2026-11-10", "2026-11-20", false)), NOVEMBER, CATALOG);
        assertEquals("starter", calendar.lastRatedCard().orElseThrow().planId());
        assertTrue(PlanCalendar.of("s", List.of(), NOVEMBER, CATALOG).lastRatedCard().isEmpty());
    }

    @Test
    void overlappingAssignmentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlanCalendar.of("s", List.of(
                plan("starter", null, "2026-11-16", false),
                plan("growth", "2026-11-15", null, false)), NOVEMBER, CATALOG));
        assertTrue(e.getMessage().contains("overlapping"), e.getMessage());
        // Touching ranges do not overlap: effective_to is exclusive.
        PlanCalendar.checkNoOverlap("s", List.of(plan("starter", null, "2026-11-16", false), plan("growth", "2026-11-16", null, false)));
    }

    @Test
    void aPlanMissingFromTheCatalogIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlanCalendar.of("s", List.of(plan("platinum", null, null, false)), NOVEMBER, CATALOG));
        assertTrue(e.getMessage().contains("site s") && e.getMessage().contains("platinum"), e.getMessage());
    }
}
