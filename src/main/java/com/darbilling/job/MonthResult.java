package com.darbilling.job;

import com.darbilling.invoice.InvoiceLine;
import java.time.YearMonth;
import java.util.List;

/** What one month's rating wrote. */
/** @param stageMillis wall-clock milliseconds per stage, in order */
public record MonthResult(YearMonth month, List<SourceCounts> counts, long darRows, List<InvoiceLine> invoiceLines,
                          java.util.Map<String, Long> stageMillis) {
}
