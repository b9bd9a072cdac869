package com.darbilling.job;

import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.zone.SiteZones;
import com.darbilling.zone.ZoneInterval;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What of the reference data a billing month of a site was rated with, as three fingerprints: the
 * zone rows in force from a day before the month to a day after it (a local date lies within a day
 * of the UTC date, R1), the plan assignments in force on a day of the month, and the rate cards of
 * those plans for the month (R8). Two equal fingerprints mean a reprocess would read the same
 * reference rows for that site-month. Pure: no Spark, no clock.
 */
record ReferenceFingerprints(String zone, String plans, String cards) {
    /** The parts that differ between two site-months, in words ("zone", "plan assignments", "rate cards"). */
    static List<String> differences(ReferenceFingerprints before, ReferenceFingerprints now) {
        ReferenceFingerprints a = before == null ? NONE : before;
        ReferenceFingerprints b = now == null ? NONE : now;
        List<String> parts = new ArrayList<>();
        if (!Objects.equals(a.zone, b.zone)) {
            parts.add(a.zone == null ? "zone row added" : b.zone == null ? "zone row gone" : "zone");
        }
        if (!Objects.equals(a.plans, b.plans)) {
            parts.add(a.plans == null ? "plan assigned" : b.plans == null ? "plan assignment gone" : "plan assignments");
        }
        if (!Objects.equals(a.cards, b.cards)) {
            parts.add("rate cards");
        }
        return parts;
    }

    private static final ReferenceFingerprints NONE = new ReferenceFingerprints(null, null, null);

    /**
     * The fingerprints of every site that has a zone row or a plan assignment bearing on {@code month};
     * a site with neither is absent. A part with nothing in force is null.
     */
    static Map<String, ReferenceFingerprints> of(YearMonth month, SiteZones zones, Map<String, List<PlanAssignment>> assignments,
                                                 PlanCatalog catalog) {
        Instant windowStart = month.atDay(1).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant windowEnd = month.atEndOfMonth().plusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        Set<String> sites = new TreeSet<>(assignments.keySet());
        zones.intervals().forEach(i -> sites.add(i.siteId()));
        Map<String, ReferenceFingerprints> result = new TreeMap<>();
        for (String site : sites) {
            List<String> zoneParts = new ArrayList<>();
            for (ZoneInterval i : zones.intervalsOf(site)) {
                if ((i.from() == null || i.from().isBefore(windowEnd)) && (i.to() == null || i.to().isAfter(windowStart))) {
                    // Clipped to the window: a row starting after it shortens an interval, but not within the window.
                    Instant from = i.from() == null || i.from().isBefore(windowStart) ? windowStart : i.from();
                    Instant to = i.to() == null || i.to().isAfter(windowEnd) ? windowEnd : i.to();
                    zoneParts.add(i.zoneId() + "|" + i.valid() + "|" + from + "|" + to);
                }
            }
            List<String> planParts = new ArrayList<>();
            Set<String> cardParts = new TreeSet<>();
            for (PlanAssignment a : assignments.getOrDefault(site, List.of())) {
                if ((a.effectiveFrom() == null || !a.effectiveFrom().isAfter(last)) && (a.effectiveTo() == null || a.effectiveTo().isAfter(first))) {
                    planParts.add(a.planId() + "|" + a.effectiveFrom() + "|" + a.effectiveTo() + "|" + a.intentManager());
                    cardParts.add(catalog.find(a.planId(), month).map(Object::toString).orElse(a.planId() + ": no card"));
                }
            }
            planParts.sort(null);
            if (zoneParts.isEmpty() && planParts.isEmpty()) {
                continue;
            }
            result.put(site, new ReferenceFingerprints(hash(zoneParts), hash(planParts), hash(new ArrayList<>(cardParts))));
        }
        return result;
    }

    private static String hash(List<String> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
