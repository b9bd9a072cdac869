package com.darbilling.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.contract.CreditCategory;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.rating.CreditUsage;
import com.darbilling.rating.DayUsage;
import com.darbilling.rating.MonthRater;
import com.darbilling.rating.SiteMonth;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.darbilling.testing.Catalogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rating a site-month into invoice lines and credit usage, against lines worked out by hand. */
class InvoiceLinesTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final PlanCatalog CATALOG = Catalogs.starterAndGrowth("0.15");

    private static PlanAssignment plan(String plan, String from, String to, boolean intent) {
        return new PlanAssignment("s", plan, from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to), intent);
    }

    private static DayUsage day(int dayOfMonth, long dars, long sessions, long interactive, long invocations) {
        return new DayUsage("s", OCTOBER.atDay(dayOfMonth), dars, sessions, interactive, invocations);
    }

    private static List<String> lines(List<DayUsage> usage, long platformUsers, PlanAssignment... plans) {
        List<SiteMonth> rated = MonthRater.rate(OCTOBER, usage, Map.of("s", platformUsers), Map.of("s", List.of(plans)), CATALOG);
        List<String> out = new ArrayList<>();
        for (InvoiceLine l : InvoiceLines.of(rated.get(0), 1, InvoiceStatus.DRAFT)) {
            out.add(String.join(" ", String.valueOf(l.planId()), l.lineType().name(), l.quantity().toPlainString(),
                    String.valueOf(l.unitPrice()), String.valueOf(l.amount()), String.valueOf(l.currency())));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} DAR on Starter")
    @CsvSource({"2000, 2000.0000, 0.0000, 0.00", "2001, 2000.0000, 1.0000, 39.00", "2100, 2000.0000, 1.0000, 39.00",
            "2101, 2000.0000, 2.0000, 78.00"})
    void starterOverage(long dars, String included, String blocks, String amount) {
        List<String> lines = lines(List.of(day(12, dars, 0, 0, 0)), 0, plan("starter", null, null, false));
        assertEquals(List.of(
                "starter DAR_INCLUDED " + included + " null 0.00 USD",
                "starter DAR_OVERAGE " + blocks + " 39.00 " + amount + " USD",
                "starter CREDITS_MESSAGING " + dars + ".0000 null null USD",
                "starter CREDITS_INTENT_MANAGER 0.0000 null null USD",
                "starter CREDITS_COBROWSE 0.0000 null null USD",
                "starter CREDITS_FUNCTIONS 0.0000 null null USD"), lines);
    }

    @Test
    void planChangeMidMonthRatesEachSegmentWithItsProratedAllowance() {
        // Starter 1-15 (15 days): included 2000*15/31 = 967.74 -> 968; 1,000 DAR -> 32 over -> 1 block.
        //   Functions free 150000*15/31 = 72580.6 -> 72581; 72,832 invocations -> 251 over -> 2 credits.
        // Growth 16-31 (16 days, intent on): included 5000*16/31 = 2580.6 -> 2581; 3 DAR, 2 interactive
        //   sessions of 3; credit price 0.15: 3 * 0.15 = 0.45, 0.6 * 0.15 = 0.09, 2 * 0.15 = 0.30.
        List<String> lines = lines(List.of(day(5, 1000, 0, 0, 72832), day(20, 3, 3, 2, 0)), 0,
                plan("starter", null, "2026-10-16", false), plan("growth", "2026-10-16", null, true));
        assertEquals(List.of(
                "starter DAR_INCLUDED 968.0000 null 0.00 USD",
                "starter DAR_OVERAGE 1.0000 39.00 39.00 USD",
                "starter CREDITS_MESSAGING 1000.0000 null null USD",
                "starter CREDITS_INTENT_MANAGER 0.0000 null null USD",
                "starter CREDITS_COBROWSE 0.0000 null null USD",
                "starter CREDITS_FUNCTIONS 2.0000 null null USD",
                "growth DAR_INCLUDED 3.0000 null 0.00 USD",
                "growth DAR_OVERAGE 0.0000 29.00 0.00 USD",
                "growth CREDITS_MESSAGING 3.0000 0.15 0.45 USD",
                "growth CREDITS_INTENT_MANAGER 0.6000 0.15 0.09 USD",
                "growth CREDITS_COBROWSE 2.0000 0.15 0.30 USD",
                "growth CREDITS_FUNCTIONS 0.0000 0.15 0.00 USD"), lines);
    }

    @Test
    void daysWithoutAssignmentAreUnratedAndShown() {
        // Assigned 1-20 (20 days): included 1290. Day 25 is unassigned: 4 DAR unrated, its session and
        // invocations earn nothing, and no intent credits.
        List<String> lines = lines(List.of(day(3, 2, 1, 1, 0), day(25, 4, 1, 1, 9)), 0,
                plan("starter", null, "2026-10-21", true));
        assertEquals(List.of(
                "starter DAR_INCLUDED 2.0000 null 0.00 USD",
                "starter DAR_OVERAGE 0.0000 39.00 0.00 USD",
                "starter CREDITS_MESSAGING 2.0000 null null USD",
                "starter CREDITS_INTENT_MANAGER 0.4000 null null USD",
                "starter CREDITS_COBROWSE 1.0000 null null USD",
                "starter CREDITS_FUNCTIONS 0.0000 null null USD",
                "null UNRATED_DAR 4.0000 null 0.00 null"), lines);
    }

    @Test
    void platformUsersAboveTheLimitAreFlaggedWithThePlanOfTheLastRatedDay() {
        List<String> lines = lines(List.of(day(3, 1, 0, 0, 0)), 11,
                plan("growth", null, "2026-10-10", false), plan("starter", "2026-10-10", "2026-10-30", false));
        assertEquals("starter PLATFORM_USERS_OVER_LIMIT 1.0000 null 0.00 USD", lines.get(lines.size() - 1));
        // Exactly at the limit: no line.
        List<String> atLimit = lines(List.of(day(3, 1, 0, 0, 0)), 10, plan("starter", null, null, false));
        assertEquals(6, atLimit.size());
    }

    @Test
    void aMonthWithNoRatedDayHasOnlyItsUnratedLines() {
        List<String> lines = lines(List.of(day(3, 5, 0, 0, 0)), 12);
        assertEquals(List.of("null PLATFORM_USERS_OVER_LIMIT 2.0000 null 0.00 null", "null UNRATED_DAR 5.0000 null 0.00 null"), lines);
    }

    @Test
    void creditUsageCountsAllUsageAndCreditsOnlyRatedDays() {
        List<SiteMonth> rated = MonthRater.rate(OCTOBER, List.of(day(3, 2, 2, 1, 5), day(25, 4, 1, 1, 9)), Map.of(),
                Map.of("s", List.of(plan("starter", null, "2026-10-21", true))), CATALOG);
        List<String> rows = CreditUsage.of(rated.get(0)).stream()
                .map(u -> u.category() + " " + u.usageQuantity() + " " + u.credits().toPlainString()).toList();
        assertEquals(List.of("MESSAGING 6 2.0000", "INTENT_MANAGER 2 0.4000", "COBROWSE 3 1.0000", "FUNCTIONS 14 0.0000"), rows);
        assertEquals(CreditCategory.values().length, rows.size());
    }
}
