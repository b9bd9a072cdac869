package com.darbilling.zone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The effective-dated zones of every site, as intervals (R1: the latest effective_from <= instant). */
public final class SiteZones {
    /** One row of the sites table. */
    public record ZoneRow(String siteId, String timeZone, Instant effectiveFrom) {
    }

    private final List<ZoneInterval> intervals;
    /** The same intervals per site, in order: a look-up per site stays constant with thousands of sites. */
    private final Map<String, List<ZoneInterval>> bySite;

    private SiteZones(List<ZoneInterval> intervals) {
        this.intervals = List.copyOf(intervals);
        this.bySite = this.intervals.stream().collect(Collectors.groupingBy(ZoneInterval::siteId, Collectors.toUnmodifiableList()));
    }

    /**
     * Builds the intervals. Fails on a row without site_id and on two rows of one site with the same
     * effective_from: which zone applies would be a guess, and a guess changes invoices.
     */
    public static SiteZones of(List<ZoneRow> rows) {
        for (ZoneRow row : rows) {
            if (row.siteId() == null || row.siteId().isBlank()) {
                throw new IllegalArgumentException("sites: a row has no site_id (time_zone " + row.timeZone() + ")");
            }
        }
        Map<String, List<ZoneRow>> bySite = rows.stream().collect(Collectors.groupingBy(ZoneRow::siteId));
        List<ZoneInterval> intervals = new ArrayList<>();
        for (var entry : new java.util.TreeMap<>(bySite).entrySet()) {
            List<ZoneRow> siteRows = new ArrayList<>(entry.getValue());
            siteRows.sort(Comparator.comparing(ZoneRow::effectiveFrom, Comparator.nullsFirst(Comparator.naturalOrder())));
            for (int i = 0; i < siteRows.size(); i++) {
                ZoneRow row = siteRows.get(i);
                Instant to = i + 1 < siteRows.size() ? siteRows.get(i + 1).effectiveFrom() : null;
                if (i + 1 < siteRows.size() && Objects.equals(row.effectiveFrom(), to)) {
                    throw new IllegalArgumentException("sites: site " + entry.getKey() + " has two zone rows with effective_from "
                            + (to == null ? "null (since always)" : to.toString()));
                }
                intervals.add(new ZoneInterval(row.siteId(), row.timeZone(), ZoneIds.isAcceptable(row.timeZone()), row.effectiveFrom(), to));
            }
        }
        return new SiteZones(intervals);
    }

    public List<ZoneInterval> intervals() {
        return intervals;
    }

    /** The site's intervals, earliest first; empty for a site without a zone row. */
    public List<ZoneInterval> intervalsOf(String siteId) {
        return bySite.getOrDefault(siteId, List.of());
    }

    /** The distinct acceptable zone ids, sorted: one literal zone per id in the local-date expression. */
    public List<String> validZoneIds() {
        return List.copyOf(intervals.stream().filter(ZoneInterval::valid).map(ZoneInterval::zoneId)
                .collect(Collectors.toCollection(TreeSet::new)));
    }
}
