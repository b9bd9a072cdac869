package com.darbilling.contract;

/**
 * Column names that several tables share (the output tables, the month state and the columns the
 * job derives from its inputs). Each name of the contract is written here once; a table's own
 * columns are named in its spec (output/OutputTables, output/StateTables).
 */
public final class Columns {
    public static final String SITE_ID = "site_id";
    public static final String CONSUMER_ID = "consumer_id";
    /** Calendar date in the site's zone in force at the event's instant (R1). */
    public static final String LOCAL_DATE = "local_date";
    /** yyyy-MM of local_date: the partition column of the monthly tables. */
    public static final String BILLING_MONTH = "billing_month";
    public static final String RUN_ID = "run_id";
    /** The raw file a row was read from, as Spark names it. */
    public static final String INPUT_FILE = "input_file";
    public static final String STATUS = "status";
    /** quarantine and rejected_files: the input table of the row or file. */
    public static final String SOURCE = "source";
    public static final String REASON = "reason";
    public static final String RECORD = "record";
    public static final String CATEGORY = "category";
    public static final String PLAN_ID = "plan_id";

    private Columns() {
    }
}
