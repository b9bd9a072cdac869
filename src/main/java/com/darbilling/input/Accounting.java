package com.darbilling.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.darbilling.contract.QuarantineReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where every row read went: accepted, quarantined (per reason), a repeated delivery of an
 * accepted row, or the neighbouring month's (read from a shared day's partition). {@link SourceCounts}
 * refuses counts that do not add up.
 */
public final class Accounting {
    /** Boolean column of classified rows: true for the rows the run bills or quarantines, false for another month's. */
    public static final String IN_SCOPE = "_in_scope";

    private Accounting() {
    }

    /** Marks the rows of the run's scope ({@link #IN_SCOPE}). */
    public static Dataset<Row> withScope(Dataset<Row> classified, Column inScope) {
        return classified.withColumn(IN_SCOPE, inScope);
    }

    /**
     * Counts {@code scoped} rows (classified by {@link EventValidation#classify}, marked by
     * {@link #withScope}) in one aggregation: rows per scope and reason, the distinct ids among the
     * accepted rows, and the rows that lie after the run's cutoff (quarantined in this scope or a
     * neighbour's).
     *
     * @param label the month (or "batch") the counts are recorded under
     */
    public static SourceCounts of(Dataset<Row> scoped, EventSource source, String label, Instant asOf) {
        long read = 0;
        long otherMonth = 0;
        long acceptedWithDuplicates = 0;
        long accepted = 0;
        long afterCutoff = 0;
        Map<String, Long> byReason = new HashMap<>();
        Column pastCutoff = col(EventValidation.QUARANTINE_REASON).equalTo(QuarantineReason.TIMESTAMP_OUT_OF_RANGE.name())
                .and(EventValidation.afterCutoff(col(source.timeColumn()), asOf));
        for (Row r : scoped.groupBy(col(IN_SCOPE), col(EventValidation.QUARANTINE_REASON))
                .agg(count(lit(1)), countDistinct(col(source.idColumn())), count(when(pastCutoff, lit(1)))).collectAsList()) {
            long n = r.getLong(2);
            read += n;
            afterCutoff += r.getLong(4);
            if (!r.getBoolean(0)) {
                otherMonth += n;
            } else if (r.isNullAt(1)) {
                acceptedWithDuplicates += n;
                accepted = r.getLong(3);
            } else {
                byReason.put(r.getString(1), n);
            }
        }
        return new SourceCounts(source.table(), label, read, accepted, acceptedWithDuplicates - accepted, otherMonth, byReason,
                afterCutoff);
    }
}
