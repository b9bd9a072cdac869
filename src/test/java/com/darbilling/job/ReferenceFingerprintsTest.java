package com.darbilling.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.darbilling.plan.PlanAssignment;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.testing.Catalogs;
import com.darbilling.zone.SiteZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which reference rows bear on a site-month: a change outside the month and its edges leaves the fingerprint alone. */
class ReferenceFingerprintsTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final PlanCatalog CATALOG = Catalogs.starterAndGrowth("0.10");

    private static SiteZones zones(SiteZones.ZoneRow... rows) {
        return SiteZones.of(List.of(rows));
    }

    private static SiteZones.ZoneRow zone(String site, String zone, String from) {
        return new SiteZones.ZoneRow(site, zone, from == null ? null : Instant.parse(from));
    }

    private static Map<String, List<PlanAssignment>> plans(PlanAssignment... assignments) {
        return Map.of("s", List.of(assignments));
    }

    private static PlanAssignment plan(String planId, String from, String to, boolean intentManager) {
        return new PlanAssignment("s", planId, from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to), intentManager);
    }

    private static ReferenceFingerprints october(SiteZones zones, Map<String, List<PlanAssignment>> plans) {
        return ReferenceFingerprints.of(OCTOBER, zones, plans, CATALOG).get("s");
    }

    @Test
    void aZoneRowFromTheSecondOfNovemberOnLeavesOctoberAloneButOneFromTheFirstChangesIt() {
        var base = plans(plan("starter", null, null, false));
        ReferenceFingerprints before = october(zones(zone("s", "UTC", null)), base);
        // Local dates of instants from 2026-11-02T00:00Z on are 1 November at the earliest (UTC-12): never October.
        assertEquals(before, october(zones(zone("s", "UTC", null), zone("s", "Asia/Tokyo", "2026-11-02T00:00:00Z")), base));
        // From 1 November 00:00Z in Pacific/Honolulu, that instant is 31 October locally.
        ReferenceFingerprints edge = october(zones(zone("s", "UTC", null), zone("s", "Pacific/Honolulu", "2026-11-01T00:00:00Z")), base);
        assertNotEquals(before.zone(), edge.zone());
        assertEquals(List.of("zone"), ReferenceFingerprints.differences(before, edge));
    }

    @Test
    void planAssignmentsAndCardsCountOnlyOnTheMonthsDays() {
        SiteZones utc = zones(zone("s", "UTC", null));
        ReferenceFingerprints starter = october(utc, plans(plan("starter", null, "2026-11-01", false)));
        // Growth from 1 November on: not a day of October.
        assertEquals(starter, october(utc, plans(plan("starter", null, "2026-11-01", false), plan("growth", "2026-11-01", null, false))));
        // Intent manager switched on: the assignment changes, its card does not.
        ReferenceFingerprints listening = october(utc, plans(plan("starter", null, "2026-11-01", true)));
        assertEquals(List.of("plan assignments"), ReferenceFingerprints.differences(starter, listening));
        assertEquals(starter.cards(), listening.cards());
        // Growth from the 31st: a day of October, and growth's card is in the month's cards.
        ReferenceFingerprints switched = october(utc, plans(plan("starter", null, "2026-10-31", false), plan("growth", "2026-10-31", null, false)));
        assertEquals(List.of("plan assignments", "rate cards"), ReferenceFingerprints.differences(starter, switched));
    }

    @Test
    void aSiteWithoutZoneRowOrPlanHasNoFingerprintAndItsArrivalIsNamed() {
        var fingerprints = ReferenceFingerprints.of(OCTOBER, zones(zone("t", "UTC", null)), Map.of(), CATALOG);
        assertNull(fingerprints.get("s"));
        assertEquals(List.of("zone row added"), ReferenceFingerprints.differences(null, fingerprints.get("t")));
        assertEquals(List.of("zone row gone"), ReferenceFingerprints.differences(fingerprints.get("t"), null));
    }

    @Test
    void aNewRateCardVersionCountsFromTheMonthItIsInForce() {
        SiteZones utc = zones(zone("s", "UTC", null));
        var starter = plans(plan("starter", null, null, false));
        PlanCatalog withNovemberCard = new PlanCatalog(java.util.stream.Stream.concat(CATALOG.cards().stream(),
                CATALOG.cards().stream().filter(c -> c.planId().equals("starter")).limit(1).map(c -> new com.darbilling.plan.RateCard(
                        c.planId(), "2", LocalDate.parse("2026-11-01"), 2500, c.overageBlockSize(), c.overageBlockPrice(), c.currency(),
                        c.creditsPerDar(), c.intentManagerCreditsPerDar(), c.cobrowseCreditsPerSession(), c.functionsFreeInvocations(),
                        c.functionsBlockSize(), c.functionsCreditsPerBlock(), c.maxPlatformUsers(), c.creditPrice()))).toList());
        assertEquals(ReferenceFingerprints.of(OCTOBER, utc, starter, CATALOG), ReferenceFingerprints.of(OCTOBER, utc, starter, withNovemberCard));
        YearMonth november = OCTOBER.plusMonths(1);
        assertEquals(List.of("rate cards"), ReferenceFingerprints.differences(ReferenceFingerprints.of(november, utc, starter, CATALOG).get("s"),
                ReferenceFingerprints.of(november, utc, starter, withNovemberCard).get("s")));
    }
}
