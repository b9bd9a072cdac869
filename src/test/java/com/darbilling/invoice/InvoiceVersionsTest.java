package com.darbilling.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvoiceVersionsTest {
    private static InvoiceLine line(int version, InvoiceStatus status, String plan, LineType type, String quantity, String amount) {
        return new InvoiceLine("s", "2026-10", version, status, plan, plan == null ? null : "v1", type, null, new BigDecimal(quantity),
                null, amount == null ? null : new BigDecimal(amount), plan == null ? null : "USD");
    }

    private static String text(InvoiceLine l) {
        return l.planId() + " " + l.lineType() + " " + l.adjustedLineType() + " " + l.quantity().toPlainString() + " " + l.amount()
                + " v" + l.invoiceVersion() + " " + l.status();
    }

    @Test
    void versionsFollowTheStatusOfTheLatestOne() {
        assertEquals(InvoiceVersions.Existing.NONE, InvoiceVersions.Existing.of(List.of()));
        assertEquals(Optional.of(1), InvoiceVersions.nextVersion(InvoiceVersions.Existing.NONE, false));
        InvoiceVersions.Existing draft = InvoiceVersions.Existing.of(List.of(line(1, InvoiceStatus.DRAFT, "starter", LineType.DAR_INCLUDED, "5", "0.00")));
        assertEquals(Optional.of(1), InvoiceVersions.nextVersion(draft, false));
        InvoiceLine firstFinal = line(1, InvoiceStatus.FINAL, "starter", LineType.DAR_INCLUDED, "5", "0.00");
        InvoiceLine secondFinal = line(2, InvoiceStatus.FINAL, "starter", LineType.DAR_INCLUDED, "6", "0.00");
        InvoiceLine secondAdjustment = new InvoiceLine("s", "2026-10", 2, InvoiceStatus.FINAL, "starter", "v1", LineType.ADJUSTMENT,
                LineType.DAR_INCLUDED, new BigDecimal("1"), null, new BigDecimal("0.00"), "USD");
        InvoiceVersions.Existing closed = InvoiceVersions.Existing.of(List.of(firstFinal, secondFinal, secondAdjustment));
        assertEquals(Optional.empty(), InvoiceVersions.nextVersion(closed, false), "nightly never reopens a FINAL month");
        assertEquals(Optional.of(3), InvoiceVersions.nextVersion(closed, true));
        assertEquals(List.of(secondFinal), closed.latestFinalLines(), "the regular lines of the latest FINAL version, no adjustment");
    }

    @Test
    void aVersionWithFinalAndDraftLinesIsFinal() {
        InvoiceVersions.Existing mixed = InvoiceVersions.Existing.of(List.of(
                line(1, InvoiceStatus.DRAFT, "starter", LineType.DAR_INCLUDED, "5", "0.00"),
                line(1, InvoiceStatus.FINAL, "starter", LineType.DAR_OVERAGE, "0", "0.00"),
                line(1, InvoiceStatus.DRAFT, "starter", LineType.CREDITS_MESSAGING, "5", null)));
        assertEquals(InvoiceStatus.FINAL, mixed.latestStatus());
        assertEquals(Optional.empty(), InvoiceVersions.nextVersion(mixed, false));
        assertEquals(Optional.of(2), InvoiceVersions.nextVersion(mixed, true));
    }

    @Test
    void adjustmentsAreNewMinusOldPerPlanAndLineType() {
        List<InvoiceLine> old = List.of(
                line(1, InvoiceStatus.FINAL, "starter", LineType.DAR_INCLUDED, "2000.0000", "0.00"),
                line(1, InvoiceStatus.FINAL, "starter", LineType.DAR_OVERAGE, "2.0000", "78.00"),
                line(1, InvoiceStatus.FINAL, "starter", LineType.CREDITS_MESSAGING, "2101.0000", null),
                line(1, InvoiceStatus.FINAL, null, LineType.UNRATED_DAR, "4.0000", "0.00"));
        List<InvoiceLine> now = List.of(
                line(2, InvoiceStatus.DRAFT, "starter", LineType.DAR_INCLUDED, "968.0000", "0.00"),
                line(2, InvoiceStatus.DRAFT, "starter", LineType.DAR_OVERAGE, "12.0000", "468.00"),
                line(2, InvoiceStatus.DRAFT, "starter", LineType.CREDITS_MESSAGING, "2101.0000", null),
                line(2, InvoiceStatus.DRAFT, "growth", LineType.CREDITS_MESSAGING, "3.0000", "0.30"));
        List<String> adjustments = InvoiceVersions.adjustments(now, old, "s", "2026-10", 2).stream().map(InvoiceVersionsTest::text).toList();
        assertEquals(List.of(
                "starter ADJUSTMENT DAR_INCLUDED -1032.0000 0.00 v2 DRAFT",
                "starter ADJUSTMENT DAR_OVERAGE 10.0000 390.00 v2 DRAFT",
                "null ADJUSTMENT UNRATED_DAR -4.0000 0.00 v2 DRAFT",
                "growth ADJUSTMENT CREDITS_MESSAGING 3.0000 0.30 v2 DRAFT"), adjustments);
        assertTrue(InvoiceVersions.adjustments(old, old, "s", "2026-10", 2).isEmpty(), "no change, no adjustment");
    }
}
