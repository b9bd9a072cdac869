package com.darbilling.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.invoice.VersionPlan;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The invoice difference of a reprocess, from hand-made lines (Starter: 2,000 included, blocks of 100 at 39.00). No Spark. */
class InvoiceDiffTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    /** A regular or adjustment line of plan starter 2020-09-04 in USD; amount null for credits without a price. */
    private static InvoiceLine line(String site, int version, InvoiceStatus status, LineType type, LineType adjusted, String quantity,
                                    String amount) {
        BigDecimal unitPrice = type == LineType.DAR_OVERAGE ? new BigDecimal("39.00") : null;
        return new InvoiceLine(site, "2026-10", version, status, "starter", "2020-09-04", type, adjusted,
                new BigDecimal(quantity).setScale(4), unitPrice, amount == null ? null : new BigDecimal(amount), "USD");
    }

    /** The six regular lines (R9) with these DARs billed: included, overage blocks and amount, messaging credits = DARs. */
    private static List<InvoiceLine> regular(String site, int version, InvoiceStatus status, String included, String blocks,
                                             String overage, String dars) {
        return List.of(
                line(site, version, status, LineType.DAR_INCLUDED, null, included, "0.00"),
                line(site, version, status, LineType.DAR_OVERAGE, null, blocks, overage),
                line(site, version, status, LineType.CREDITS_MESSAGING, null, dars, null),
                line(site, version, status, LineType.CREDITS_INTENT_MANAGER, null, "0", null),
                line(site, version, status, LineType.CREDITS_COBROWSE, null, "0", null),
                line(site, version, status, LineType.CREDITS_FUNCTIONS, null, "0", null));
    }

    private static List<InvoiceLine> concat(List<List<InvoiceLine>> parts) {
        List<InvoiceLine> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    @Test
    void sitesDroppingToZeroComeFirstThenEachChangedLineOldToNew() {
        InvoiceStatus draft = InvoiceStatus.DRAFT;
        InvoiceStatus fin = InvoiceStatus.FINAL;
        List<InvoiceLine> existing = concat(List.of(
                // s-gone: 2,101 DARs: 101 over 2,000, ceil(101 / 100) = 2 blocks = 78.00.
                regular("s-gone", 1, draft, "2000", "2", "78.00", "2101"),
                // s-cheap: 2,001 DARs = 1 block = 39.00.
                regular("s-cheap", 1, draft, "2000", "1", "39.00", "2001"),
                // s-final: closed with 2,101 DARs.
                regular("s-final", 1, fin, "2000", "2", "78.00", "2101"),
                // s-same: 10 DARs, nothing to pay, nothing changes.
                regular("s-same", 1, draft, "10", "0", "0.00", "10")));
        List<InvoiceLine> written = concat(List.of(
                // s-gone has no usage any more: no line. s-cheap: 2,000 DARs, 0 blocks.
                regular("s-cheap", 1, draft, "2000", "0", "0.00", "2000"),
                // s-final's plan now ends on 10-16: included round(2000 * 15 / 31) = 968, 1,133 over = 12 blocks = 468.00;
                // adjustments 968 - 2000 = -1032 and 12 - 2 = 10 blocks, 468.00 - 78.00 = 390.00.
                regular("s-final", 2, draft, "968", "12", "468.00", "2101"),
                List.of(line("s-final", 2, draft, LineType.ADJUSTMENT, LineType.DAR_INCLUDED, "-1032", "0.00"),
                        line("s-final", 2, draft, LineType.ADJUSTMENT, LineType.DAR_OVERAGE, "10", "390.00")),
                regular("s-same", 1, draft, "10", "0", "0.00", "10"),
                // s-new: 5 DARs.
                regular("s-new", 1, draft, "5", "0", "0.00", "5")));
        VersionPlan plan = new VersionPlan(written, List.of("s-cheap", "s-final", "s-gone", "s-new", "s-same"), List.of());

        InvoiceDiff diff = InvoiceDiff.of(OCTOBER, existing, plan);

        assertEquals(List.of(
                "2026-10: 4 of 5 site invoices change; 2 drop to zero (listed first); old -> new",
                "  s-cheap: total 39.00 USD -> 0.00 USD; version 1 DRAFT is replaced in place",
                "    starter 2020-09-04 DAR_OVERAGE: quantity 1 -> 0, amount 39.00 -> 0.00 USD",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity 2001 -> 2000",
                "  s-gone: billed DARs drop to zero; total 78.00 USD -> 0.00 USD; version 1 DRAFT is deleted (no usage left)",
                "    starter 2020-09-04 DAR_INCLUDED: quantity 2000 -> none",
                "    starter 2020-09-04 DAR_OVERAGE: quantity 2 -> none, amount 78.00 -> none USD",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity 2101 -> none",
                "  s-final: total 78.00 USD -> 468.00 USD; version 1 FINAL stays; version 2 DRAFT is written with 2 ADJUSTMENT lines",
                "    starter 2020-09-04 DAR_INCLUDED: quantity 2000 -> 968",
                "    starter 2020-09-04 DAR_OVERAGE: quantity 2 -> 12, amount 78.00 -> 468.00 USD",
                "  s-new: total 0.00 USD -> 0.00 USD; new invoice, version 1 DRAFT",
                "    starter 2020-09-04 DAR_INCLUDED: quantity none -> 5",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity none -> 5",
                // 78.00 + 39.00 + 78.00 + 0.00 -> 0.00 + 0.00 + 468.00 + 0.00 + 0.00
                "  month total: 195.00 USD -> 468.00 USD"), diff.lines());
        assertTrue(diff.needsNotice());
        assertEquals(2, diff.dropsToZero());
    }

    @Test
    void aDraftChangeWithoutDropsNeedsNoNoticeAndAnUnchangedFinalSiteIsNamed() {
        List<InvoiceLine> existing = concat(List.of(
                regular("s-a", 1, InvoiceStatus.DRAFT, "2000", "1", "39.00", "2050"),
                regular("s-b", 3, InvoiceStatus.FINAL, "100", "0", "0.00", "100")));
        // s-a: 2,150 DARs = 150 over = 2 blocks = 78.00; s-b re-rated the same: version 4 without adjustment.
        List<InvoiceLine> written = concat(List.of(
                regular("s-a", 1, InvoiceStatus.DRAFT, "2000", "2", "78.00", "2150"),
                regular("s-b", 4, InvoiceStatus.DRAFT, "100", "0", "0.00", "100")));

        InvoiceDiff diff = InvoiceDiff.of(OCTOBER, existing, new VersionPlan(written, List.of("s-a", "s-b"), List.of()));

        assertEquals(List.of(
                "2026-10: 1 of 2 site invoices change; old -> new",
                "  s-a: total 39.00 USD -> 78.00 USD; version 1 DRAFT is replaced in place",
                "    starter 2020-09-04 DAR_OVERAGE: quantity 1 -> 2, amount 39.00 -> 78.00 USD",
                "    starter 2020-09-04 CREDITS_MESSAGING: quantity 2050 -> 2150",
                "  1 FINAL site invoices get a new DRAFT version with the same lines (no adjustment): s-b",
                "  month total: 39.00 USD -> 78.00 USD"), diff.lines());
        assertFalse(diff.needsNotice(), "no drop to zero, no FINAL invoice changed");
        assertEquals(List.of("2026-10: 0 of 1 site invoices change", "  month total: 0.00 USD -> 0.00 USD"),
                InvoiceDiff.of(OCTOBER, regular("s-b", 1, InvoiceStatus.DRAFT, "100", "0", "0.00", "100"),
                        new VersionPlan(regular("s-b", 1, InvoiceStatus.DRAFT, "100", "0", "0.00", "100"), List.of("s-b"), List.of()))
                        .lines());
    }
}
