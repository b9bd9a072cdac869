package com.darbilling.zone;

import java.time.Instant;

/**
 * The zone of a site over the instants {@code [from, to)}; null bounds are open. {@code valid} is
 * false for a zone id that {@link ZoneIds} rejects: rows in such an interval are quarantined.
 */
public record ZoneInterval(String siteId, String zoneId, boolean valid, Instant from, Instant to) {
}
