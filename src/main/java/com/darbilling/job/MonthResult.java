package com.darbilling.job;

import com.darbilling.input.SourceCounts;
import com.darbilling.invoice.InvoiceLine;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * What one month's reprocess wrote.
 *
 * @param otherMonths the ratings of the sites of other months sharing a co-browse session or Function invocation id
 *                    with the month (whose copy counts may have changed)
 * @param stageMillis wall-clock milliseconds per stage, in order
 */
public record MonthResult(YearMonth month, List<SourceCounts> counts, long darRows, List<InvoiceLine> invoiceLines,
                          List<String> unbilledChanges, List<MonthRating.Result> otherMonths, Map<String, Long> stageMillis) {
}
