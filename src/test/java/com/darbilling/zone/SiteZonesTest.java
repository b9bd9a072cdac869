package com.darbilling.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteZonesTest {
    @Test
    void zoneRowsBecomeConsecutiveIntervals() {
        Instant change = Instant.parse("2026-10-15T00:00:00Z");
        SiteZones zones = SiteZones.of(List.of(
                new SiteZones.ZoneRow("s", "Asia/Tokyo", change),
                new SiteZones.ZoneRow("s", "America/Los_Angeles", null),
                new SiteZones.ZoneRow("t", "EST", null)));
        assertEquals(List.of(
                new ZoneInterval("s", "America/Los_Angeles", true, null, change),
                new ZoneInterval("s", "Asia/Tokyo", true, change, null),
                new ZoneInterval("t", "EST", false, null, null)), zones.intervals());
        assertEquals(List.of("America/Los_Angeles", "Asia/Tokyo"), zones.validZoneIds());
        assertEquals(List.of(
                new ZoneInterval("s", "America/Los_Angeles", true, null, change),
                new ZoneInterval("s", "Asia/Tokyo", true, change, null)), zones.intervalsOf("s"));
        assertEquals(List.of(new ZoneInterval("t", "EST", false, null, null)), zones.intervalsOf("t"));
        assertEquals(List.of(), zones.intervalsOf("u"));
    }

    @Test
    void twoRowsWithTheSameEffectiveFromAreRefused() {
        Instant at = Instant.parse("2026-10-15T00:00:00Z");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SiteZones.of(List.of(
                new SiteZones.ZoneRow("s", "Asia/Tokyo", at), new SiteZones.ZoneRow("s", "Europe/Paris", at))));
        assertTrue(e.getMessage().contains("site s has two zone rows"), e.getMessage());
    }
}
