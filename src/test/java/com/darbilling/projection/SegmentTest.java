package com.darbilling.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCalendar;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.testing.Catalogs;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segments of a month as R8 rates them; allowances worked by hand. */
class SegmentTest {
    private static final PlanCatalog CATALOG = Catalogs.starterAndGrowth("0.10");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static LocalDate oct(int day) {
        return LocalDate.of(2026, 10, day);
    }

    private static String describe(Segment s) {
        return s.label() + " " + s.firstDate() + ".." + s.lastDate() + " " + s.days() + "d included " + s.includedDar() + " intent "
                + s.intentManagerDays();
    }

    private static List<String> segments(PlanAssignment... assignments) {
        return Segment.of(PlanCalendar.of("s", List.of(assignments), OCTOBER, CATALOG)).stream().map(SegmentTest::describe).toList();
    }

    @Test
    void anUpgradeMidMonthIsTwoSegmentsEachProrated() {
        // s-upgrade of data-samples: round(2000 x 15 / 31 = 967.7) = 968; round(5000 x 16 / 31 = 2,580.6) = 2,581
        assertEquals(List.of("starter 2020-09-04 2026-10-01..2026-10-15 15d included 968 intent 0",
                        "growth 2026-01-01 2026-10-16..2026-10-31 16d included 2581 intent 16"),
                segments(new PlanAssignment("s", "starter", null, oct(16), false), new PlanAssignment("s", "growth", oct(16), null, true)));
    }

    @Test
    void intentManagerDoesNotCutASegmentAndDaysWithoutAPlanAreTheirOwn() {
        // s-mover of data-samples: 20 days of starter, round(2000 x 20 / 31 = 1,290.3) = 1,290; no plan from 10-21
        assertEquals(List.of("starter 2020-09-04 2026-10-01..2026-10-20 20d included 1290 intent 10",
                        "no plan 2026-10-21..2026-10-31 11d included 0 intent 0"),
                segments(new PlanAssignment("s", "starter", LocalDate.of(2026, 1, 1), oct(11), false),
                        new PlanAssignment("s", "starter", oct(11), oct(21), true)));
    }

    @Test
    void aSegmentNeedNotBeContiguous() {
        // starter 10 + 11 days: round(2000 x 21 / 31 = 1,354.8) = 1,355; growth 10 days: round(5000 x 10 / 31 = 1,612.9) = 1,613
        List<Segment> segments = Segment.of(PlanCalendar.of("s", List.of(new PlanAssignment("s", "starter", null, oct(11), false),
                new PlanAssignment("s", "growth", oct(11), oct(21), false), new PlanAssignment("s", "starter", oct(21), null, false)),
                OCTOBER, CATALOG));
        assertEquals(List.of("starter 2020-09-04 2026-10-01..2026-10-31 21d included 1355 intent 0",
                "growth 2026-01-01 2026-10-11..2026-10-20 10d included 1613 intent 0"), segments.stream().map(SegmentTest::describe).toList());
        assertEquals(false, segments.get(0).contains(oct(15)));
        assertEquals(true, segments.get(0).contains(oct(21)));
    }
}
