package com.darbilling.rating;

import com.darbilling.plan.BillingMath;
import com.darbilling.plan.RateCard;
import java.math.BigDecimal;

/**
 * Usage of one plan segment of a site's month (the days rated with one card) and what it earns
 * under that card, allowances prorated by the segment's days (R3, R4, R5, R6, R8).
 */
public record SegmentCharge(RateCard card, long segmentDays, long daysInMonth, long dars, long intentDars,
                            long interactiveSessions, long invocations) {

    public long includedDar() {
        return BillingMath.prorate(card.includedDar(), segmentDays, daysInMonth);
    }

    public long freeInvocations() {
        return BillingMath.prorate(card.functionsFreeInvocations(), segmentDays, daysInMonth);
    }

    public long includedDarUsed() {
        return Math.min(dars, includedDar());
    }

    public long overageBlocks() {
        return BillingMath.blocksAbove(dars, includedDar(), card.overageBlockSize());
    }

    public BigDecimal overageAmount() {
        return BillingMath.money(overageBlocks(), card.overageBlockPrice());
    }

    public BigDecimal messagingCredits() {
        return BillingMath.credits(dars, card.creditsPerDar());
    }

    public BigDecimal intentManagerCredits() {
        return BillingMath.credits(intentDars, card.intentManagerCreditsPerDar());
    }

    public BigDecimal cobrowseCredits() {
        return BillingMath.credits(interactiveSessions, card.cobrowseCreditsPerSession());
    }

    public BigDecimal functionsCredits() {
        long blocks = BillingMath.blocksAbove(invocations, freeInvocations(), card.functionsBlockSize());
        return BillingMath.credits(blocks, card.functionsCreditsPerBlock());
    }
}
