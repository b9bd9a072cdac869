package com.darbilling.input;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accounting of one input table in one month's run: every row read is accepted, quarantined,
 * a dropped duplicate, or belongs to another month's run (it was read from a neighbouring day).
 *
 * @param afterCutoff rows read that lie more than a day after the run's as-of instant, so were
 *                    quarantined TIMESTAMP_OUT_OF_RANGE (in this month's scope, or in the
 *                    neighbouring month's when read from its partition)
 */
public record SourceCounts(String source, String month, long read, long accepted, long duplicates, long otherMonth,
                           Map<String, Long> quarantinedByReason, long afterCutoff) {

    public SourceCounts {
        // Sorted by reason: the report prints it, and Map.copyOf would iterate in an order that changes from JVM to JVM.
        quarantinedByReason = java.util.Collections.unmodifiableMap(new TreeMap<>(quarantinedByReason));
        long quarantined = quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
        long accounted = accepted + duplicates + otherMonth + quarantined;
        if (accounted != read) {
            throw new IllegalStateException("input " + source + ", " + month + ": " + read + " rows read but "
                    + accounted + " accounted for (accepted " + accepted + ", duplicates " + duplicates + ", other month "
                    + otherMonth + ", quarantined " + quarantined + ")");
        }
    }

    /**
     * The same counts with {@code n} accepted ids counted as duplicates: an earlier copy of each
     * counts in another billing month (R5, R6).
     */
    public SourceCounts withAcceptedCountedAsDuplicates(long n) {
        return new SourceCounts(source, month, read, accepted - n, duplicates + n, otherMonth, quarantinedByReason, afterCutoff);
    }

    public long quarantined() {
        return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Keys {@code <source>.<month>.<count>} for the runs table. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        String prefix = source + "." + month + ".";
        m.put(prefix + "read", read);
        m.put(prefix + "accepted", accepted);
        m.put(prefix + "duplicate", duplicates);
        m.put(prefix + "other_month", otherMonth);
        quarantinedByReason.forEach((reason, n) -> m.put(prefix + "quarantined." + reason, n));
        if (afterCutoff > 0) {
            m.put(prefix + "after_as_of", afterCutoff);
        }
        return m;
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT, "%-20s read %,d = accepted %,d + quarantined %,d %s + duplicates %,d + other month %,d",
                source, read, accepted, quarantined(), quarantinedByReason.isEmpty() ? "" : quarantinedByReason.toString(),
                duplicates, otherMonth);
    }
}
