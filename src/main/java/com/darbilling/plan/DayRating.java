package com.darbilling.plan;

/** How one local date of a site is rated: the card in force and whether Intent Manager is on. */
public record DayRating(RateCard card, boolean intentManager) {
}
