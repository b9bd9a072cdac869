package com.darbilling.input;

import static com.darbilling.testing.DataFrameAssertions.assertSameRows;

import com.darbilling.output.StateTables;
import com.darbilling.testing.TestSpark;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Which month's copy of a co-browse session counts: the earliest, across months, ties broken by the other columns. */
class DeduplicationTest {
    private static Row session(String id, String site, String startedAt, String month) {
        Instant at = Instant.parse(startedAt);
        return RowFactory.create(id, site, at, true, LocalDate.ofInstant(at, java.time.ZoneOffset.UTC), month);
    }

    private static Dataset<Row> state(Row... rows) {
        return TestSpark.session().createDataFrame(List.of(rows), StateTables.COBROWSE_SESSIONS.schema());
    }

    @Test
    void aMonthsCopyCountsUnlessAnotherMonthHoldsAnEarlierOne() {
        Dataset<Row> stored = state(
                session("cb-x", "s", "2026-10-30T10:00:00Z", "2026-10"),
                session("cb-x", "s", "2026-11-02T10:00:00Z", "2026-11"),   // later than October's: does not count
                session("cb-y", "s", "2026-11-02T12:00:00Z", "2026-11"),
                session("cb-y", "s", "2026-12-01T12:00:00Z", "2026-12"),   // later than November's
                // The same instant in two months (two sites, two zones): the smaller site_id decides.
                session("cb-z", "b", "2026-10-31T23:00:00Z", "2026-11"),
                session("cb-z", "a", "2026-10-31T23:00:00Z", "2026-10"));
        Dataset<Row> november = stored.where("billing_month = '2026-11'");

        assertSameRows(state(session("cb-y", "s", "2026-11-02T12:00:00Z", "2026-11")),
                Deduplication.withoutEarlierCopyInAnotherMonth(november, stored, EventSource.COBROWSE_SESSIONS));
        assertSameRows(state(session("cb-x", "s", "2026-11-02T10:00:00Z", "2026-11"), session("cb-z", "b", "2026-10-31T23:00:00Z", "2026-11")),
                Deduplication.withEarlierCopyInAnotherMonth(november, stored, EventSource.COBROWSE_SESSIONS));
        assertSameRows(state(session("cb-x", "s", "2026-10-30T10:00:00Z", "2026-10"), session("cb-z", "a", "2026-10-31T23:00:00Z", "2026-10")),
                Deduplication.withoutEarlierCopyInAnotherMonth(stored.where("billing_month = '2026-10'"), stored,
                        EventSource.COBROWSE_SESSIONS));
    }
}
