package com.darbilling.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZoneIdsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "America/New_York, true", "Asia/Kathmandu, true", "Europe/London, true", "UTC, true", "+05:45, true",
            "-03:00, true", "EST, false", "PST, false", "EST5EDT, false", "america/new_york, false", "Mars/Olympus, false",
            "' Europe/London', false", "'', false"})
    void onlyRegionIdsOffsetsAndUtcAreAccepted(String zone, boolean accepted) {
        assertEquals(accepted, ZoneIds.isAcceptable(zone));
    }
}
