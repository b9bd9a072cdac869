package com.darbilling.report;

import com.darbilling.input.EventValidation;
import com.darbilling.input.SourceCounts;
import com.darbilling.run.JvmMemory;
import com.darbilling.run.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The lines a billing run prints when its work is done: what it wrote, the accounting of every row read, the stages. */
public final class RunReport {
    private RunReport() {
    }

    public static List<String> lines(String headline, RunRecord run, List<SourceCounts> counts, List<String> unbilled,
                                     Map<String, Long> stages) {
        List<String> out = new ArrayList<>();
        out.add(headline);
        out.add("  as of " + run.asOf() + ": events after " + run.asOf().plus(EventValidation.AS_OF_MARGIN)
                + " are TIMESTAMP_OUT_OF_RANGE");
        counts.forEach(c -> out.add("  " + c.describe()));
        long afterCutoff = counts.stream().mapToLong(SourceCounts::afterCutoff).sum();
        if (afterCutoff > 0) {
            out.add("  " + afterCutoff + " rows lie more than a day after the cutoff " + run.asOf()
                    + " and were quarantined TIMESTAMP_OUT_OF_RANGE; if they are real usage, run again with --as-of INSTANT later than them");
        }
        if (!unbilled.isEmpty()) {
            out.add("  unbilled change in closed months: " + unbilled);
        }
        out.add("  stages (ms): " + stages);
        out.add("  peak heap (MB): " + JvmMemory.peakHeapMb() + " of " + JvmMemory.maxHeapMb());
        return out;
    }
}
