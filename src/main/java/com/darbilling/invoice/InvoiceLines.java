package com.darbilling.invoice;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.plan.BillingMath;
import com.darbilling.plan.RateCard;
import com.darbilling.rating.SegmentCharge;
import com.darbilling.rating.SiteMonth;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns a rated site-month into its invoice lines (R9). */
public final class InvoiceLines {
    /** The contract's platform-user limit, used only for a month in which no day is rated. */
    public static final long CONTRACT_MAX_PLATFORM_USERS = 10;

    private InvoiceLines() {
    }

    public static List<InvoiceLine> of(SiteMonth m, int version, InvoiceStatus status) {
        String month = m.month().toString();
        List<InvoiceLine> lines = new ArrayList<>();
        for (SegmentCharge s : m.segments()) {
            RateCard card = s.card();
            Line line = new Line(m.siteId(), month, version, status, card);
            lines.add(line.of(LineType.DAR_INCLUDED, quantity(s.includedDarUsed()), null, BillingMath.zeroMoney()));
            lines.add(line.of(LineType.DAR_OVERAGE, quantity(s.overageBlocks()), price(card.overageBlockPrice()),
                    s.overageAmount()));
            lines.add(line.credits(LineType.CREDITS_MESSAGING, s.messagingCredits()));
            lines.add(line.credits(LineType.CREDITS_INTENT_MANAGER, s.intentManagerCredits()));
            lines.add(line.credits(LineType.CREDITS_COBROWSE, s.cobrowseCredits()));
            lines.add(line.credits(LineType.CREDITS_FUNCTIONS, s.functionsCredits()));
        }
        long limit = m.lastRatedCard() == null ? CONTRACT_MAX_PLATFORM_USERS : m.lastRatedCard().maxPlatformUsers();
        if (m.platformUsers() > limit) {
            lines.add(new Line(m.siteId(), month, version, status, m.lastRatedCard())
                    .of(LineType.PLATFORM_USERS_OVER_LIMIT, quantity(m.platformUsers() - limit), null,
                            BillingMath.zeroMoney()));
        }
        if (m.unratedDars() > 0) {
            lines.add(new Line(m.siteId(), month, version, status, null)
                    .of(LineType.UNRATED_DAR, quantity(m.unratedDars()), null, BillingMath.zeroMoney()));
        }
        return lines;
    }

    /** Fails when two lines share the table's grain: such an invoice would count something twice. */
    public static void checkUniqueKeys(List<InvoiceLine> lines) {
        Set<String> keys = new HashSet<>();
        for (InvoiceLine line : lines) {
            if (!keys.add(line.key())) {
                throw new IllegalStateException("invoice_lines: two lines with key " + line.key());
            }
        }
    }

    private static BigDecimal quantity(long value) {
        return BigDecimal.valueOf(value).setScale(BillingMath.CREDIT_SCALE);
    }

    private static BigDecimal price(BigDecimal price) {
        return price.setScale(BillingMath.MONEY_SCALE);
    }

    /** The fields shared by the lines of one segment. */
    private record Line(String siteId, String month, int version, InvoiceStatus status, RateCard card) {
        InvoiceLine of(LineType type, BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount) {
            return new InvoiceLine(siteId, month, version, status, card == null ? null : card.planId(),
                    card == null ? null : card.version(), type, null, quantity, unitPrice, amount,
                    card == null ? null : card.currency());
        }

        InvoiceLine credits(LineType type, BigDecimal credits) {
            BigDecimal price = card.creditPrice();
            return of(type, credits, price == null ? null : price(price), price == null ? null : BillingMath.money(credits, price));
        }
    }
}
