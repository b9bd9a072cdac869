package com.darbilling.projection;

import java.math.BigDecimal;

/** One segment's share of a projection: its DARs so far and at month end, and the overage that would cost. */
public record SegmentProjection(Segment segment, int completeDays, long darsSoFar, long projectedDars) {

    public long projectedOverageBlocks() {
        return segment.overageBlocks(projectedDars);
    }

    /** Null without a plan. */
    public BigDecimal projectedOverageAmount() {
        return segment.overageAmount(projectedDars);
    }

    /** The segment's level: OVER above its allowance, NEAR at 80% of it or more (in integers), OK otherwise. */
    public Level level() {
        if (!segment.rated()) {
            return Level.OK;
        }
        if (projectedOverageBlocks() > 0) {
            return Level.OVER;
        }
        long included = segment.includedDar();
        return included > 0 && projectedDars * Level.NEAR_DENOMINATOR >= included * Level.NEAR_NUMERATOR ? Level.NEAR : Level.OK;
    }
}
