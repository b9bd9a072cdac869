package com.darbilling.projection;

/** How a month is heading, in rising order: a level that went up since the last run is announced. */
public enum Level {
    /** Every segment projected under 80% of its allowance. */
    OK,
    /** A segment projected at 80% of its allowance or more, none over it. */
    NEAR,
    /** A segment projected over its allowance: DAR overage expected. */
    OVER;

    /** Numerator and denominator of NEAR's threshold: 80% = 4/5, compared in integers. */
    static final long NEAR_NUMERATOR = 4;
    static final long NEAR_DENOMINATOR = 5;

    public boolean isAbove(Level other) {
        return compareTo(other) > 0;
    }
}
