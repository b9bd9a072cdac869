package com.darbilling.input;

import static com.darbilling.testing.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.contract.Columns;
import com.darbilling.zone.SiteZones;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Quarantine reasons: values matched exactly, one reason per row, the first that applies. */
class EventValidationTest {
    private static final SiteZones ZONES = zones(zone("ok", "Europe/Paris", null), zone("est", "EST", null));

    private static Map<String, String> reasons(Row... rows) {
        Map<String, String> out = new TreeMap<>();
        classifyMessages(ZONES, rows).select("message_id", EventValidation.QUARANTINE_REASON).collectAsList()
                .forEach(r -> out.put(r.getString(0), String.valueOf(r.getString(1))));
        return out;
    }

    @Test
    void eachReasonAndItsOrder() {
        String t = "2026-10-10T10:00:00Z";
        Map<String, String> expected = new TreeMap<>();
        expected.put("good", "null");
        expected.put("system-without-sender", "null");
        expected.put("blank-consumer", "MISSING_REQUIRED_FIELD");
        expected.put("null-sent-at", "MISSING_REQUIRED_FIELD");
        expected.put("agent-without-sender", "MISSING_REQUIRED_FIELD");
        expected.put("missing-and-unknown-site", "MISSING_REQUIRED_FIELD");
        expected.put("unknown-site", "UNKNOWN_SITE");
        expected.put("unknown-site-and-channel", "UNKNOWN_SITE");
        expected.put("three-letter-zone", "INVALID_TIME_ZONE");
        expected.put("lower-case-channel", "UNKNOWN_CHANNEL");
        expected.put("channel-and-role", "UNKNOWN_CHANNEL");
        expected.put("mixed-case-role", "UNKNOWN_SENDER_ROLE");
        expected.put("misfiled", "PARTITION_MISMATCH");
        expected.put("before-2000", "TIMESTAMP_OUT_OF_RANGE");
        expected.put("far-future", "TIMESTAMP_OUT_OF_RANGE");
        expected.put("within-a-day", "null");
        assertEquals(expected, reasons(
                consumer("good", "ok", "c1", t),
                message("system-without-sender", "ok", "c1", "SYSTEM", null, "WEB", t),
                consumer("blank-consumer", "ok", " ", t),
                consumer("null-sent-at", "ok", "c1", null),
                message("agent-without-sender", "ok", "c1", "AGENT", "", "WEB", t),
                consumer("missing-and-unknown-site", "nowhere", null, t),
                consumer("unknown-site", "nowhere", "c1", t),
                message("unknown-site-and-channel", "nowhere", "c1", "CONSUMER", null, "SMSX", t),
                consumer("three-letter-zone", "est", "c1", t),
                message("lower-case-channel", "ok", "c1", "CONSUMER", null, "web", t),
                message("channel-and-role", "ok", "c1", "consumer", null, "Web", t),
                message("mixed-case-role", "ok", "c1", "Agent", "a1", "WEB", t),
                RowFactory.create("misfiled", "ok", "conv", "c1", "CONSUMER", null, "WEB",
                        java.time.Instant.parse(t), LocalDate.of(2026, 10, 9)),
                consumer("before-2000", "ok", "c1", "1999-12-31T23:59:59Z"),
                // The cutoff of these tests is 2026-12-01T00:00Z: a day later is still plausible, more is not.
                consumer("within-a-day", "ok", "c1", "2026-12-01T23:59:00Z"),
                consumer("far-future", "ok", "c1", "2026-12-02T00:00:01Z")));
    }

    @Test
    void quarantinedRowsAreReportedByTheMonthOfTheirPartition() {
        // A row in partition 2026-10-31 with an unknown site is October's, whatever its local date would be.
        Row row = classifyMessages(ZONES, consumer("x", "nowhere", "c1", "2026-10-31T23:30:00Z"))
                .select(EventValidation.SCOPE_MONTH, Columns.BILLING_MONTH).first();
        assertEquals("2026-10", row.getString(0));
        assertEquals(null, row.get(1));
    }
}
