package com.darbilling.contract;

/** invoice_lines.line_type (R9, R10). */
public enum LineType {
    DAR_INCLUDED,
    DAR_OVERAGE,
    CREDITS_MESSAGING,
    CREDITS_INTENT_MANAGER,
    CREDITS_COBROWSE,
    CREDITS_FUNCTIONS,
    PLATFORM_USERS_OVER_LIMIT,
    UNRATED_DAR,
    ADJUSTMENT
}
