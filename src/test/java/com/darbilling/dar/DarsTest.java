package com.darbilling.dar;

import static com.darbilling.testing.DataFrameAssertions.assertSameRows;
import static com.darbilling.testing.Fixtures.*;
import static org.apache.spark.sql.functions.col;

import com.darbilling.contract.Columns;
import com.darbilling.input.EventValidation;
import com.darbilling.testing.TestSpark;
import com.darbilling.zone.SiteZones;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * R1 and R7 on accepted messages, as the job gives them to {@link Dars}: classified, the
 * quarantined rows out, not de-duplicated row by row. Expected rows by hand.
 */
class DarsTest {
    private static final SiteZones ZONES = zones(zone("ny", "America/New_York", null));

    private static Dataset<Row> accepted(Row... rows) {
        return classifyMessages(ZONES, rows).filter(col(EventValidation.QUARANTINE_REASON).isNull());
    }

    private static Dataset<Row> expectedDars(Object[]... rows) {
        StructType schema = new StructType().add("site_id", "string").add("consumer_id", "string")
                .add("local_date", "date").add("billing_month", "string");
        List<Row> out = java.util.Arrays.stream(rows).map(RowFactory::create).toList();
        return TestSpark.session().createDataFrame(out, schema);
    }

    @Test
    void oneDarPerEndUserAndLocalDay() {
        Dataset<Row> dars = Dars.fromMessages(accepted(
                // A conversation across local midnight: 23:59 and 00:01 EDT are two DARs.
                consumer("m1", "ny", "ann", "2026-10-05T03:59:00Z"),
                message("m2", "ny", "ann", "AGENT", "a1", "WEB", "2026-10-05T04:01:00Z"),
                // Two conversations and two channels on one local day: one DAR.
                message("m3", "ny", "bob", "CONSUMER", null, "SMS", "2026-10-10T15:00:00Z"),
                message("m4", "ny", "bob", "BOT", "b1", "FACEBOOK", "2026-10-10T20:00:00Z"),
                // A platform notice alone creates no DAR.
                message("m5", "ny", "cat", "SYSTEM", null, "WEB", "2026-10-11T15:00:00Z"),
                // A repeated delivery counts once.
                consumer("m6", "ny", "dan", "2026-10-12T15:00:00Z"),
                consumer("m6", "ny", "dan", "2026-10-12T15:00:00Z")));
        assertSameRows(expectedDars(
                new Object[]{"ny", "ann", LocalDate.of(2026, 10, 4), "2026-10"},
                new Object[]{"ny", "ann", LocalDate.of(2026, 10, 5), "2026-10"},
                new Object[]{"ny", "bob", LocalDate.of(2026, 10, 10), "2026-10"},
                new Object[]{"ny", "dan", LocalDate.of(2026, 10, 12), "2026-10"}),
                dars.select("site_id", "consumer_id",
                        Columns.LOCAL_DATE, Columns.BILLING_MONTH));
    }

    @Test
    void platformUsersAreDistinctAgentAndBotSenders() {
        Dataset<Row> users = Dars.platformUserIds(accepted(
                message("m1", "ny", "ann", "AGENT", "a1", "WEB", "2026-10-05T12:00:00Z"),
                message("m2", "ny", "bob", "AGENT", "a1", "SMS", "2026-10-06T12:00:00Z"),
                message("m3", "ny", "bob", "BOT", "b1", "SMS", "2026-10-06T12:01:00Z"),
                message("m4", "ny", "bob", "CONSUMER", "bob-phone", "SMS", "2026-10-06T12:02:00Z")));
        StructType schema = new StructType().add("site_id", "string").add("billing_month", "string").add("sender_id", "string");
        assertSameRows(TestSpark.session().createDataFrame(List.of(RowFactory.create("ny", "2026-10", "a1"),
                RowFactory.create("ny", "2026-10", "b1")), schema), users);
    }

    /**
     * README, duplicates: a repeated message_id whose copies differ (another end user, another day)
     * counts the DAR of each copy; an invalid copy is quarantined and the valid one counts.
     */
    @Test
    void aRepeatedMessageIdWhoseCopiesDifferCountsTheDarOfEachValidCopy() {
        Dataset<Row> dars = Dars.fromMessages(accepted(
                consumer("m1", "ny", "late", "2026-10-06T12:00:00Z"),
                consumer("m1", "ny", "early", "2026-10-05T12:00:00Z"),
                // The same id once more, from a site with no zone: quarantined, no DAR.
                consumer("m1", "nowhere", "lost", "2026-10-07T12:00:00Z")));
        assertSameRows(expectedDars(
                new Object[]{"ny", "early", LocalDate.of(2026, 10, 5), "2026-10"},
                new Object[]{"ny", "late", LocalDate.of(2026, 10, 6), "2026-10"}),
                dars.select("site_id", "consumer_id",
                        Columns.LOCAL_DATE, Columns.BILLING_MONTH));
    }
}
