package com.darbilling.contract;

/** Names of the output Delta tables: a public contract, read by analysts and other jobs. */
public final class Tables {
    public static final String DAILY_ACTIVE_RELATIONSHIPS = "daily_active_relationships";
    public static final String CREDIT_USAGE = "credit_usage";
    public static final String INVOICE_LINES = "invoice_lines";
    public static final String QUARANTINE = "quarantine";
    public static final String RUNS = "runs";
    public static final String REJECTED_FILES = "rejected_files";
    public static final String PLAN_SEGMENTS = "plan_segments";
    public static final String USAGE_PROJECTIONS = "usage_projections";

    private Tables() {
    }
}
