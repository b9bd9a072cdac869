package com.darbilling.contract;

/** invoice_lines.status (R10). */
public enum InvoiceStatus {
    DRAFT, FINAL
}
