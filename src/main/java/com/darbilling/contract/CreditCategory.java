package com.darbilling.contract;

/** credit_usage.category. */
public enum CreditCategory {
    MESSAGING, INTENT_MANAGER, COBROWSE, FUNCTIONS
}
