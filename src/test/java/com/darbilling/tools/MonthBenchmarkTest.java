package com.darbilling.tools;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fast DuckDB query's premise check and the benchmark's agreement check (no DuckDB, no Spark). */
class MonthBenchmarkTest {
    @Test
    void theGeneratorsZonesChangeOffsetOnQuarterHoursAroundTheDefaultMonth() {
        // October 2026 holds the European and Australian changes, the window the US and St John's (04:30 UTC) ones.
        assertDoesNotThrow(() -> MonthBenchmark.requireQuarterHourTransitions(InputGenerator.ZONES, YearMonth.of(2026, 10)));
        assertDoesNotThrow(() -> MonthBenchmark.requireQuarterHourTransitions(InputGenerator.ZONES, YearMonth.of(2026, 4)));
    }

    @Test
    void aTransitionOffTheQuarterHourFailsNamingZoneAndInstant() {
        // Monrovia left -0:44:30 for GMT at local midnight of 1972-01-07, that is 00:44:30 UTC.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MonthBenchmark.requireQuarterHourTransitions(List.of("UTC", "Africa/Monrovia"), YearMonth.of(1972, 1)));
        assertTrue(e.getMessage().contains("'Africa/Monrovia'") && e.getMessage().contains("1972-01-07T00:44:30Z"), e.getMessage());
    }

    @Test
    void anUnknownZoneFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MonthBenchmark.requireQuarterHourTransitions(List.of("Europe/Atlantis"), YearMonth.of(2026, 10)));
        assertTrue(e.getMessage().contains("'Europe/Atlantis'"), e.getMessage());
    }

    @Test
    void differencesNameEverySiteWhereOneSystemDisagrees() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("ours", Map.of("s1", 5L, "s2", 7L));
        counts.put("duckdb-per-row", Map.of("s1", 5L, "s2", 7L));
        counts.put("duckdb-fast", Map.of("s1", 5L, "s2", 6L));
        counts.put("naive-spark", Map.of("s1", 5L, "s2", 7L, "s3", 1L));
        assertEquals(List.of("s2=[7, 7, 6, 7]", "s3=[0, 0, 0, 1]"), MonthBenchmark.differences(counts));
        counts.replaceAll((system, c) -> Map.of("s1", 5L));
        assertEquals(List.of(), MonthBenchmark.differences(counts));
    }
}
