package com.darbilling.input;

import static com.darbilling.testing.Fixtures.classifyMessages;
import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.Fixtures.zone;
import static com.darbilling.testing.Fixtures.zones;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.darbilling.testing.Fixtures;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Every row read is counted once: accepted, quarantined by reason, a repeated delivery, or another month's. */
class AccountingTest {
    @Test
    void everyRowReadIsAccountedForOnce() {
        // New York (UTC-4 in October). The run bills October; the cutoff is 2026-12-01, so rows after 2026-12-02 are late.
        Dataset<Row> classified = classifyMessages(zones(zone("s1", "America/New_York", null)),
                consumer("m1", "s1", "c1", "2026-10-12T15:00:00Z"),
                consumer("m1", "s1", "c1", "2026-10-12T15:00:00Z"),   // the same message delivered twice
                consumer("m2", "s1", "c2", "2026-10-13T15:00:00Z"),
                consumer("m3", "s1", null, "2026-10-14T15:00:00Z"),   // no consumer: MISSING_REQUIRED_FIELD, October's
                consumer("m4", "s1", "c3", "2026-12-03T00:00:00Z"),   // after the cutoff: quarantined, December's
                consumer("m5", "s1", "c4", "2026-11-05T15:00:00Z"));  // accepted, November's
        Dataset<Row> scoped = Accounting.withScope(classified,
                col(EventValidation.SCOPE_MONTH).equalTo(lit("2026-10")).or(col(EventValidation.SCOPE_MONTH).isNull()));

        SourceCounts counts = Accounting.of(scoped, EventSource.MESSAGES, "2026-10", Fixtures.AS_OF);

        // read 6 = accepted 2 (m1, m2) + duplicates 1 + quarantined 1 (m3) + other month 2 (m4, m5); 1 after the cutoff (m4)
        assertEquals(new SourceCounts("messages", "2026-10", 6, 2, 1, 2, Map.of("MISSING_REQUIRED_FIELD", 1L), 1), counts);
    }

    @Test
    void countsThatDoNotAddUpAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SourceCounts("messages", "2026-10", 6, 2, 1, 2, Map.of(), 0));
        assertEquals("input messages, 2026-10: 6 rows read but 5 accounted for (accepted 2, duplicates 1, other month 2, quarantined 0)",
                e.getMessage());
    }

    @Test
    void theReportListsReasonsInAlphabeticalOrder() {
        SourceCounts counts = new SourceCounts("messages", "2026-10", 9, 4, 0, 0,
                Map.of("UNKNOWN_SITE", 1L, "MISSING_REQUIRED_FIELD", 3L, "INVALID_TIME_ZONE", 1L), 0);
        assertEquals("messages             read 9 = accepted 4 + quarantined 5 "
                + "{INVALID_TIME_ZONE=1, MISSING_REQUIRED_FIELD=3, UNKNOWN_SITE=1} + duplicates 0 + other month 0", counts.describe());
    }
}
