package com.darbilling.plan;

import java.time.LocalDate;

/**
 * A site's plan over local dates {@code [effectiveFrom, effectiveTo)}; a null bound is open (R8).
 */
public record PlanAssignment(String siteId, String planId, LocalDate effectiveFrom, LocalDate effectiveTo,
                             boolean intentManager) {

    public boolean covers(LocalDate day) {
        return (effectiveFrom == null || !day.isBefore(effectiveFrom))
                && (effectiveTo == null || day.isBefore(effectiveTo));
    }

    /** True when some local date is covered by both. */
    public boolean overlaps(PlanAssignment other) {
        boolean thisStartsBeforeOtherEnds = other.effectiveTo == null || effectiveFrom == null
                || effectiveFrom.isBefore(other.effectiveTo);
        boolean otherStartsBeforeThisEnds = effectiveTo == null || other.effectiveFrom == null
                || other.effectiveFrom.isBefore(effectiveTo);
        return thisStartsBeforeOtherEnds && otherStartsBeforeThisEnds;
    }

    public String describe() {
        return planId + " [" + (effectiveFrom == null ? "always" : effectiveFrom) + ", "
                + (effectiveTo == null ? "open" : effectiveTo) + ")";
    }
}
