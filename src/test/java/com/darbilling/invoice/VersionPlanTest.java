package com.darbilling.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.invoice.VersionPlan.FinalMonths;
import com.darbilling.plan.PlanAssignment;
import com.darbilling.rating.DayUsage;
import com.darbilling.rating.MonthRater;
import com.darbilling.rating.SiteMonth;
import com.darbilling.testing.Catalogs;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which invoice lines a rating writes (R10), from rated site-months and the lines already there,
 * without Spark. Site "s" is on Starter all October: 2,101 DARs is 2,000 included and 2 overage
 * blocks of 100 at 39.00; 2,050 DARs is 1 block.
 */
class VersionPlanTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static List<SiteMonth> rated(long... darsPerSite) {
        List<DayUsage> usage = new ArrayList<>();
        Map<String, List<PlanAssignment>> plans = new java.util.HashMap<>();
        for (int i = 0; i < darsPerSite.length; i++) {
            String site = i == 0 ? "s" : "t";
            usage.add(new DayUsage(site, OCTOBER.atDay(12), darsPerSite[i], 0, 0, 0));
            plans.put(site, List.of(new PlanAssignment(site, "starter", null, null, false)));
        }
        return MonthRater.rate(OCTOBER, usage, Map.of(), plans, Catalogs.starterAndGrowth("0.10"));
    }

    /** Site s's DAR lines of a version, as written by hand. */
    private static List<InvoiceLine> darLines(int version, InvoiceStatus status, String included, String blocks, String amount) {
        return List.of(
                new InvoiceLine("s", "2026-10", version, status, "starter", "2020-09-04", LineType.DAR_INCLUDED, null,
                        new BigDecimal(included), null, new BigDecimal("0.00"), "USD"),
                new InvoiceLine("s", "2026-10", version, status, "starter", "2020-09-04", LineType.DAR_OVERAGE, null,
                        new BigDecimal(blocks), new BigDecimal("39.00"), new BigDecimal(amount), "USD"));
    }

    private static String text(InvoiceLine l) {
        return l.siteId() + " v" + l.invoiceVersion() + " " + l.status() + " " + l.lineType()
                + (l.adjustedLineType() == null ? "" : "/" + l.adjustedLineType()) + " " + l.quantity().toPlainString() + " " + l.amount();
    }

    private static List<String> darText(VersionPlan plan) {
        return plan.lines().stream().filter(l -> l.lineType() == LineType.DAR_INCLUDED || l.lineType() == LineType.DAR_OVERAGE
                || l.lineType() == LineType.ADJUSTMENT).map(VersionPlanTest::text).toList();
    }

    @Test
    void aFirstRatingWritesVersionOneDraft() {
        VersionPlan plan = VersionPlan.of(OCTOBER, rated(2101), List.of(), FinalMonths.KEEP);
        assertEquals(List.of("s v1 DRAFT DAR_INCLUDED 2000.0000 0.00", "s v1 DRAFT DAR_OVERAGE 2.0000 78.00"), darText(plan));
        assertEquals(6, plan.lines().size(), "DAR included, overage and the four credit lines");
        assertEquals(List.of("s"), plan.sites());
        assertEquals(List.of(), plan.unbilledChanges());
    }

    @Test
    void aDraftVersionIsReplacedInPlace() {
        VersionPlan plan = VersionPlan.of(OCTOBER, rated(2101), darLines(1, InvoiceStatus.DRAFT, "2000", "1", "39.00"), FinalMonths.KEEP);
        assertEquals(List.of("s v1 DRAFT DAR_INCLUDED 2000.0000 0.00", "s v1 DRAFT DAR_OVERAGE 2.0000 78.00"), darText(plan));
        assertEquals(List.of("s"), plan.sites());
    }

    @Test
    void reprocessReopensAFinalMonthAsTheNextVersionWithAdjustments() {
        List<InvoiceLine> before = new ArrayList<>(darLines(1, InvoiceStatus.FINAL, "2000", "1", "39.00"));
        VersionPlan plan = VersionPlan.of(OCTOBER, rated(2101), before, FinalMonths.REOPEN);
        // 2 blocks now against 1 billed: +1 block, +39.00; included unchanged: no adjustment for it.
        // The credit lines were not in the FINAL version: each non-zero one gets an adjustment (messaging 2,101).
        assertEquals(List.of("s v2 DRAFT DAR_INCLUDED 2000.0000 0.00", "s v2 DRAFT DAR_OVERAGE 2.0000 78.00",
                "s v2 DRAFT ADJUSTMENT/DAR_OVERAGE 1.0000 39.00", "s v2 DRAFT ADJUSTMENT/CREDITS_MESSAGING 2101.0000 null"), darText(plan));
        assertEquals(List.of("s"), plan.sites());
    }

    @Test
    void nightlyLeavesAFinalMonthAloneAndReportsTheChange() {
        VersionPlan changed = VersionPlan.of(OCTOBER, rated(2101), darLines(1, InvoiceStatus.FINAL, "2000", "1", "39.00"),
                FinalMonths.KEEP);
        assertEquals(List.of(), changed.lines());
        assertEquals(List.of(), changed.sites(), "its FINAL lines are not replaced");
        assertEquals(List.of("s 2026-10"), changed.unbilledChanges());
    }

    @Test
    void aFinalMonthWithUnchangedUsageIsNoUnbilledChange() {
        // The FINAL version as the rating gives it now: all six lines of 2,050 DARs.
        List<InvoiceLine> billed = InvoiceLines.of(rated(2050).get(0), 1, InvoiceStatus.FINAL);
        VersionPlan plan = VersionPlan.of(OCTOBER, rated(2050), billed, FinalMonths.KEEP);
        assertEquals(List.of(), plan.lines());
        assertEquals(List.of(), plan.unbilledChanges());
    }

    @Test
    void aSiteWithoutUsageAnyMoreLosesItsDraftLines() {
        // Site t had DRAFT lines; a corrected input leaves it no usage: its DRAFT lines are replaced by none.
        List<InvoiceLine> before = List.of(new InvoiceLine("t", "2026-10", 1, InvoiceStatus.DRAFT, "starter", "2020-09-04",
                LineType.DAR_INCLUDED, null, new BigDecimal("3"), null, new BigDecimal("0.00"), "USD"));
        VersionPlan plan = VersionPlan.of(OCTOBER, rated(2101), before, FinalMonths.REOPEN);
        assertEquals(List.of("s", "t"), plan.sites());
        assertEquals(List.of("s"), plan.lines().stream().map(InvoiceLine::siteId).distinct().toList());
    }

    @Test
    void aLatestVersionPartlyFinalCountsAsFinal() {
        List<InvoiceLine> mixed = new ArrayList<>(darLines(1, InvoiceStatus.FINAL, "2000", "1", "39.00").subList(0, 1));
        mixed.addAll(darLines(1, InvoiceStatus.DRAFT, "2000", "1", "39.00").subList(1, 2));
        VersionPlan nightly = VersionPlan.of(OCTOBER, rated(2101), mixed, FinalMonths.KEEP);
        assertEquals(List.of(), nightly.sites(), "not replaced in place: part of it may have been sent");
        VersionPlan reprocess = VersionPlan.of(OCTOBER, rated(2101), mixed, FinalMonths.REOPEN);
        assertEquals(List.of(2), reprocess.lines().stream().map(InvoiceLine::invoiceVersion).distinct().toList());
    }
}
