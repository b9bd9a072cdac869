package com.darbilling.invoice;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import java.math.BigDecimal;

/** One row of invoice_lines (R9, R10). Nullable: plan fields, adjustedLineType, unitPrice, amount, currency. */
public record InvoiceLine(String siteId, String billingMonth, int invoiceVersion, InvoiceStatus status, String planId,
                          String planVersion, LineType lineType, LineType adjustedLineType, BigDecimal quantity,
                          BigDecimal unitPrice, BigDecimal amount, String currency) {

    /** The grain: one line per site, month, version, segment (plan) and line type. */
    public String key() {
        return String.join("|", siteId, billingMonth, Integer.toString(invoiceVersion), String.valueOf(planId),
                String.valueOf(planVersion), lineType.name(), String.valueOf(adjustedLineType));
    }
}
