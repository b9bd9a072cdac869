package com.darbilling.zone;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Local dates of UTC instants (R1). The session time zone must be UTC: from_utc_timestamp returns
 * an instant whose UTC rendering is the local wall clock, and to_date reads it in the session zone.
 */
public final class LocalDates {
    private LocalDates() {
    }

    /**
     * {@code to_date(from_utc_timestamp(instant, zone))} with one literal zone per id: a zone column
     * would be parsed again on every row (SPARK-46070). Null where the zone is not in {@code zoneIds}.
     */
    public static Column localDate(Column instant, Column zone, List<String> zoneIds) {
        if (zoneIds.isEmpty()) {
            return lit(null).cast("date");
        }
        Column expression = null;
        for (String zoneId : zoneIds) {
            Column converted = to_date(from_utc_timestamp(instant, zoneId));
            expression = expression == null
                    ? when(zone.equalTo(lit(zoneId)), converted)
                    : expression.when(zone.equalTo(lit(zoneId)), converted);
        }
        return expression;
    }

    /** yyyy-MM of a date column. */
    public static Column billingMonth(Column date) {
        return date_format(date, "yyyy-MM");
    }
}
