package com.darbilling.input;

import static com.darbilling.testing.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.contract.Columns;
import com.darbilling.zone.SiteZones;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Local date and billing month of each message in its site's zone (R1); expected dates by hand. */
class LocalDateTest {

    private static Map<String, String> localDates(SiteZones zones, Row... rows) {
        Map<String, String> out = new TreeMap<>();
        for (Row r : classifyMessages(zones, rows).select("message_id", Columns.LOCAL_DATE, Columns.BILLING_MONTH)
                .collectAsList()) {
            LocalDate date = (LocalDate) r.get(1);
            out.put(r.getString(0), date == null ? "null" : date + " " + r.getString(2));
        }
        return out;
    }

    @Test
    void newYorkOnTheDayDaylightSavingTimeEnds() {
        // 2026-11-01: EDT (-4) until 06:00Z, then EST (-5): a 25-hour local day from 04:00Z to 05:00Z next day.
        SiteZones zones = zones(zone("ny", "America/New_York", null));
        assertEquals(Map.of(
                        "a", "2026-10-31 2026-10", // 03:59Z = 23:59 EDT on Oct 31
                        "b", "2026-11-01 2026-11", // 04:01Z = 00:01 EDT
                        "c", "2026-11-01 2026-11", // 05:30Z = 01:30 EDT
                        "d", "2026-11-01 2026-11", // 06:30Z = 01:30 EST, the repeated hour
                        "e", "2026-11-01 2026-11", // Nov 2 04:59Z = 23:59 EST
                        "f", "2026-11-02 2026-11"), // Nov 2 05:00Z = 00:00 EST
                localDates(zones,
                        consumer("a", "ny", "c1", "2026-11-01T03:59:00Z"), consumer("b", "ny", "c1", "2026-11-01T04:01:00Z"),
                        consumer("c", "ny", "c1", "2026-11-01T05:30:00Z"), consumer("d", "ny", "c1", "2026-11-01T06:30:00Z"),
                        consumer("e", "ny", "c1", "2026-11-02T04:59:00Z"), consumer("f", "ny", "c1", "2026-11-02T05:00:00Z")));
    }

    @Test
    void londonOnTheDayBritishSummerTimeEnds() {
        // 2026-10-25: BST (+1) until 01:00Z, then GMT.
        SiteZones zones = zones(zone("ld", "Europe/London", null));
        assertEquals(Map.of(
                        "a", "2026-10-24 2026-10", // Oct 24 22:59Z = 23:59 BST
                        "b", "2026-10-25 2026-10", // Oct 24 23:01Z = 00:01 BST on Oct 25
                        "c", "2026-10-25 2026-10", // 01:30Z = 01:30 GMT
                        "d", "2026-10-25 2026-10", // 23:59Z = 23:59 GMT
                        "e", "2026-10-26 2026-10"), // Oct 26 00:01Z
                localDates(zones,
                        consumer("a", "ld", "c1", "2026-10-24T22:59:00Z"), consumer("b", "ld", "c1", "2026-10-24T23:01:00Z"),
                        consumer("c", "ld", "c1", "2026-10-25T01:30:00Z"), consumer("d", "ld", "c1", "2026-10-25T23:59:00Z"),
                        consumer("e", "ld", "c1", "2026-10-26T00:01:00Z")));
    }

    @Test
    void halfAndQuarterHourZones() {
        SiteZones zones = zones(zone("in", "Asia/Kolkata", null), zone("np", "Asia/Kathmandu", null), zone("off", "+05:45", null));
        assertEquals(Map.of(
                        "in-1", "2026-10-15 2026-10", // 18:29Z = 23:59 IST (+05:30)
                        "in-2", "2026-10-16 2026-10", // 18:31Z = 00:01 IST
                        "np-1", "2026-10-31 2026-10", // 18:14Z = 23:59 NPT (+05:45)
                        "np-2", "2026-11-01 2026-11", // 18:16Z = 00:01 NPT: next month
                        "off-1", "2026-09-30 2026-09", // 18:14Z = 23:59 at +05:45
                        "off-2", "2026-10-01 2026-10"),
                localDates(zones,
                        consumer("in-1", "in", "c1", "2026-10-15T18:29:00Z"), consumer("in-2", "in", "c1", "2026-10-15T18:31:00Z"),
                        consumer("np-1", "np", "c1", "2026-10-31T18:14:00Z"), consumer("np-2", "np", "c1", "2026-10-31T18:16:00Z"),
                        consumer("off-1", "off", "c1", "2026-09-30T18:14:00Z"), consumer("off-2", "off", "c1", "2026-09-30T18:16:00Z")));
    }

    @Test
    void zoneChangeMidMonthAppliesFromItsInstant() {
        // Los Angeles (PDT, -7) until 2026-10-15T00:00Z, then Tokyo (+9).
        SiteZones zones = zones(zone("mv", "America/Los_Angeles", null), zone("mv", "Asia/Tokyo", "2026-10-15T00:00:00Z"));
        assertEquals(Map.of(
                        "a", "2026-10-14 2026-10", // 16:00Z in LA = 09:00 Oct 14 (Tokyo would say Oct 15)
                        "b", "2026-10-14 2026-10", // 23:59Z in LA = 16:59 Oct 14
                        "c", "2026-10-15 2026-10", // 00:00Z in Tokyo = 09:00 Oct 15
                        "d", "2026-11-01 2026-11"), // Oct 31 15:00Z in Tokyo = 00:00 Nov 1
                localDates(zones,
                        consumer("a", "mv", "c1", "2026-10-14T16:00:00Z"), consumer("b", "mv", "c1", "2026-10-14T23:59:00Z"),
                        consumer("c", "mv", "c1", "2026-10-15T00:00:00Z"), consumer("d", "mv", "c1", "2026-10-31T15:00:00Z")));
    }

    @Test
    void beforeTheFirstZoneRowTheSiteIsUnknown() {
        SiteZones zones = zones(zone("late", "Europe/Paris", "2026-10-10T00:00:00Z"));
        Map<String, String> reasons = new TreeMap<>();
        classifyMessages(zones, consumer("a", "late", "c1", "2026-10-09T23:59:00Z"), consumer("b", "late", "c1", "2026-10-10T00:00:00Z"))
                .select("message_id", EventValidation.QUARANTINE_REASON).collectAsList()
                .forEach(r -> reasons.put(r.getString(0), String.valueOf(r.getString(1))));
        assertEquals(Map.of("a", "UNKNOWN_SITE", "b", "null"), reasons);
    }
}
