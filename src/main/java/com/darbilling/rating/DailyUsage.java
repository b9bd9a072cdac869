package com.darbilling.rating;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Sums usage per site and local date: small enough (sites x days) to rate on the driver. */
public final class DailyUsage {
    public static final String DARS = "dars";
    public static final String SESSIONS = "sessions";
    public static final String INTERACTIVE_SESSIONS = "interactive_sessions";
    public static final String INVOCATIONS = "invocations";

    private DailyUsage() {
    }

    /**
     * @param dars        rows of daily_active_relationships
     * @param sessions    accepted, de-duplicated co-browse sessions with their local date
     * @param invocations accepted, de-duplicated Function invocations with their local date
     */
    public static Dataset<Row> perSiteAndDay(Dataset<Row> dars, Dataset<Row> sessions, Dataset<Row> invocations) {
        Dataset<Row> darCounts = dars.select(col(Inputs.SITE_ID), col(Columns.LOCAL_DATE),
                lit(1L).as(DARS), lit(0L).as(SESSIONS), lit(0L).as(INTERACTIVE_SESSIONS), lit(0L).as(INVOCATIONS));
        Dataset<Row> sessionCounts = sessions.select(col(Inputs.SITE_ID), col(Columns.LOCAL_DATE),
                lit(0L).as(DARS), lit(1L).as(SESSIONS),
                when(col(Inputs.INTERACTIVE), lit(1L)).otherwise(lit(0L)).as(INTERACTIVE_SESSIONS),
                lit(0L).as(INVOCATIONS));
        Dataset<Row> invocationCounts = invocations.select(col(Inputs.SITE_ID), col(Columns.LOCAL_DATE),
                lit(0L).as(DARS), lit(0L).as(SESSIONS), lit(0L).as(INTERACTIVE_SESSIONS), lit(1L).as(INVOCATIONS));
        Column[] sums = {sum(DARS).as(DARS), sum(SESSIONS).as(SESSIONS),
                sum(INTERACTIVE_SESSIONS).as(INTERACTIVE_SESSIONS), sum(INVOCATIONS).as(INVOCATIONS)};
        return darCounts.unionByName(sessionCounts).unionByName(invocationCounts)
                .groupBy(col(Inputs.SITE_ID), col(Columns.LOCAL_DATE))
                .agg(sums[0], sums[1], sums[2], sums[3]);
    }

    public static List<DayUsage> collect(Dataset<Row> perSiteAndDay) {
        return perSiteAndDay.select(Inputs.SITE_ID, Columns.LOCAL_DATE, DARS, SESSIONS, INTERACTIVE_SESSIONS,
                        INVOCATIONS)
                .collectAsList().stream()
                .map(r -> new DayUsage(r.getString(0), (LocalDate) r.get(1), r.getLong(2), r.getLong(3), r.getLong(4),
                        r.getLong(5)))
                .toList();
    }
}
