package com.darbilling.job;

import com.darbilling.input.SourceCounts;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/** What one nightly batch merged and re-rated. */
public record BatchResult(List<SourceCounts> counts, List<YearMonth> monthsRerated, long darRowsInserted,
                          List<MonthRating.Result> ratings, Map<String, Long> stageMillis) {
}
