package com.darbilling.contract;

/**
 * Why an input row was rejected. The declaration order is the order of the checks: a row gets the
 * first reason that applies (spec section 4), then the reasons this project adds.
 */
public enum QuarantineReason {
    /** A required column is null or blank. */
    MISSING_REQUIRED_FIELD,
    /** No zone row of that site is in force at the row's instant. */
    UNKNOWN_SITE,
    /** The zone in force is not an IANA area/city id or a UTC offset id. */
    INVALID_TIME_ZONE,
    /** channel is not exactly WEB, SMS, EMAIL or FACEBOOK. */
    UNKNOWN_CHANNEL,
    /** sender_role is not exactly CONSUMER, AGENT, BOT or SYSTEM. */
    UNKNOWN_SENDER_ROLE,
    /** The row's instant is before 2000-01-01 or more than a day after the run's cutoff (--as-of, the run's start by default): a broken clock. */
    TIMESTAMP_OUT_OF_RANGE,
    /** The row's instant is not on the UTC date of the event_date partition it was filed in. */
    PARTITION_MISMATCH
}
