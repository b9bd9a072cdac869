package com.darbilling.output;

import static com.darbilling.contract.Columns.BILLING_MONTH;
import static com.darbilling.contract.Columns.INPUT_FILE;
import static com.darbilling.contract.Columns.LOCAL_DATE;
import static com.darbilling.contract.Columns.RUN_ID;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Tables;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The output tables of spec section 4: names, grain, columns and comments, in one place. */
public final class OutputTables {
    public static final DecimalType MONEY = DataTypes.createDecimalType(18, 2);
    public static final DecimalType CREDITS = DataTypes.createDecimalType(18, 4);

    public static final TableSpec DAILY_ACTIVE_RELATIONSHIPS = new TableSpec(Tables.DAILY_ACTIVE_RELATIONSHIPS,
            "Grain: one row per site, end user and local date with at least one CONSUMER, AGENT or BOT message (R1). "
                    + "Partitioned by billing_month.",
            new StructType(new StructField[]{
                    key(Columns.SITE_ID, DataTypes.StringType, "Customer account."),
                    key(Columns.CONSUMER_ID, DataTypes.StringType, "End user, unique within the site."),
                    key(Columns.LOCAL_DATE, DataTypes.DateType, "Calendar date of the messages in the site's zone in force at each message's instant."),
                    key(BILLING_MONTH, DataTypes.StringType, "yyyy-MM of local_date."),
            }),
            List.of(BILLING_MONTH), List.of(Columns.SITE_ID, Columns.CONSUMER_ID, Columns.LOCAL_DATE));

    public static final TableSpec CREDIT_USAGE = new TableSpec(Tables.CREDIT_USAGE,
            "Grain: one row per site, billing month and category (MESSAGING, INTENT_MANAGER, COBROWSE, FUNCTIONS); "
                    + "all four for every site-month with usage. Partitioned by billing_month.",
            new StructType(new StructField[]{
                    key(Columns.SITE_ID, DataTypes.StringType, "Customer account."),
                    key(BILLING_MONTH, DataTypes.StringType, "yyyy-MM of the local dates of the usage."),
                    key(Columns.CATEGORY, DataTypes.StringType, "MESSAGING, INTENT_MANAGER, COBROWSE or FUNCTIONS."),
                    key("usage_quantity", DataTypes.LongType, "MESSAGING: all DARs; INTENT_MANAGER: DARs on intent-manager days; "
                            + "COBROWSE: all distinct sessions, interactive or not; FUNCTIONS: all distinct invocations, free ones included."),
                    key("credits", CREDITS, "Engagement Credits earned in the category; usage on days without a plan earns none."),
                    column(RUN_ID, DataTypes.StringType, "The run that wrote the row."),
            }),
            List.of(BILLING_MONTH), List.of(Columns.SITE_ID, BILLING_MONTH, Columns.CATEGORY));

    public static final TableSpec INVOICE_LINES = new TableSpec(Tables.INVOICE_LINES,
            "Grain: one row per site, billing month, plan segment, invoice version and line type (R9, R10). "
                    + "Partitioned by billing_month.",
            new StructType(new StructField[]{
                    key(Columns.SITE_ID, DataTypes.StringType, "Customer account."),
                    key(BILLING_MONTH, DataTypes.StringType, "yyyy-MM billed."),
                    key("invoice_version", DataTypes.IntegerType, "1 for the first invoice of the month; +1 for each re-rating of a FINAL month."),
                    key(Columns.STATUS, DataTypes.StringType, "DRAFT until the month is closed, then FINAL."),
                    column(Columns.PLAN_ID, DataTypes.StringType, "Plan of the segment; null on UNRATED_DAR lines and for a month with no rated day."),
                    column("plan_version", DataTypes.StringType, "Rate card version of the segment; null when plan_id is null."),
                    key("line_type", DataTypes.StringType, "DAR_INCLUDED, DAR_OVERAGE, CREDITS_MESSAGING, CREDITS_INTENT_MANAGER, "
                            + "CREDITS_COBROWSE, CREDITS_FUNCTIONS, PLATFORM_USERS_OVER_LIMIT, UNRATED_DAR or ADJUSTMENT."),
                    column("adjusted_line_type", DataTypes.StringType, "The line type an ADJUSTMENT line corrects; null on other lines."),
                    key("quantity", CREDITS, "DARs, overage blocks, credits or platform users over the limit, by line type."),
                    column("unit_price", MONEY, "Block price on DAR_OVERAGE; credit price on CREDITS_* lines when the card has one; else null."),
                    column("amount", MONEY, "Money; null on CREDITS_* lines when the card has no credit price."),
                    column("currency", DataTypes.StringType, "Currency of the card; null when plan_id is null."),
                    column(RUN_ID, DataTypes.StringType, "The run that wrote the line."),
            }),
            List.of(BILLING_MONTH), List.of(Columns.SITE_ID, BILLING_MONTH, "invoice_version", Columns.PLAN_ID, "plan_version",
            "line_type", "adjusted_line_type"));

    public static final TableSpec QUARANTINE = new TableSpec(Tables.QUARANTINE,
            "Grain: one row per rejected input row, with the first reason that applies.",
            new StructType(new StructField[]{
                    key(Columns.SOURCE, DataTypes.StringType, "Input table of the row: messages, cobrowse_sessions or function_invocations."),
                    key(Columns.REASON, DataTypes.StringType, "MISSING_REQUIRED_FIELD, UNKNOWN_SITE, INVALID_TIME_ZONE, UNKNOWN_CHANNEL, "
                            + "UNKNOWN_SENDER_ROLE, TIMESTAMP_OUT_OF_RANGE or PARTITION_MISMATCH."),
                    key(Columns.RECORD, DataTypes.StringType, "The input row as JSON, instants in UTC."),
                    key(RUN_ID, DataTypes.StringType, "The run that rejected it."),
                    column(BILLING_MONTH, DataTypes.StringType, "Month whose run reports the row: the month of its event_date partition, "
                            + "or of its UTC instant for co-browse sessions; null when neither is known (every run reports it)."),
                    column(INPUT_FILE, DataTypes.StringType, "The raw file the row was read from."),
            }),
            List.of(), List.of());

    public static final TableSpec RUNS = new TableSpec(Tables.RUNS,
            "Grain: one row per run of the job, successful or failed.",
            new StructType(new StructField[]{
                    key(RUN_ID, DataTypes.StringType, "Unique id of the run."),
                    key("command", DataTypes.StringType, "reprocess, nightly, ..."),
                    column("arguments", DataTypes.StringType, "The command line options of the run."),
                    key(Columns.STATUS, DataTypes.StringType, "RUNNING, SUCCEEDED, PARTIAL (a nightly run that set raw files aside and billed the rest), FAILED, or INTERRUPTED (killed; found by a later run)."),
                    key("started_at", DataTypes.TimestampType, "UTC instant the run started."),
                    column("finished_at", DataTypes.TimestampType, "UTC instant the run ended."),
                    column("months", DataTypes.createArrayType(DataTypes.StringType), "Billing months rated."),
                    column("rows_read", DataTypes.LongType, "Event rows read, all inputs."),
                    column("rows_accepted", DataTypes.LongType, "Event rows accepted after de-duplication."),
                    column("rows_quarantined", DataTypes.LongType, "Event rows written to quarantine."),
                    column("rows_duplicate", DataTypes.LongType, "Repeated deliveries dropped."),
                    column("rows_other_month", DataTypes.LongType, "Rows read from a neighbouring day that belong to a month this run does not rate."),
                    column("row_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType),
                            "Per input and month: read, accepted, duplicate, other_month and quarantined.<REASON>; keys <input>.<month>.<count>."),
                    column("dar_rows", DataTypes.LongType, "DAR rows of the months re-rated (reprocess) or inserted (nightly)."),
                    column("invoice_lines", DataTypes.LongType, "Rows written to invoice_lines."),
                    column("unbilled_changes", DataTypes.StringType, "Months closed (FINAL) whose usage changed since: reprocess them to bill it."),
                    column("table_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType),
                            "Delta version of each table after the run."),
                    column("error", DataTypes.StringType, "Why a FAILED run failed."),
                    column("files_rejected", DataTypes.LongType, "Raw files not billed (unreadable, gone, or empty in a nightly run): "
                            + "listed in rejected_files, tried again by the next nightly run."),
                    column("files_empty", DataTypes.LongType, "Raw files of 0 bytes seen (usually an upload that failed)."),
                    column("as_of", DataTypes.TimestampType, "The run's cutoff (--as-of, default its start): input instants more than "
                            + "a day after it were quarantined TIMESTAMP_OUT_OF_RANGE. Same inputs and as_of, same tables."),
                    column("reference_changes", DataTypes.StringType, "Nightly: billing months whose reference data (sites, site_plans, "
                            + "the plan catalog) changed since they were rated, the sites and what changed, and what the run did: reprocessed "
                            + "(an open month) or waiting for a reprocess (a closed month, or a raw file that cannot be read)."),
            }),
            List.of(), List.of(RUN_ID));

    public static final TableSpec REJECTED_FILES = new TableSpec(Tables.REJECTED_FILES,
            "Grain: one row per raw input file a run could not bill, and why. A nightly run bills every other file and tries "
                    + "these again next time; a reprocess fails on an unreadable file and reports empty ones here.",
            new StructType(new StructField[]{
                    key(RUN_ID, DataTypes.StringType, "The run that set the file aside."),
                    key(Columns.SOURCE, DataTypes.StringType, "Input table of the file: messages, cobrowse_sessions or function_invocations."),
                    key(INPUT_FILE, DataTypes.StringType, "The raw file, as Spark names it."),
                    key(Columns.REASON, DataTypes.StringType, "EMPTY_FILE, NOT_PARQUET (no footer: not Parquet or truncated), SCHEMA_MISMATCH, "
                            + "READ_ERROR (a corrupt page) or MISSING_FILE (gone after it was listed)."),
                    column("detail", DataTypes.StringType, "What is wrong with the file, in one line."),
                    column("size", DataTypes.LongType, "Bytes when listed (-1 when gone)."),
                    column("modified_at", DataTypes.TimestampType, "Modification time when listed."),
            }),
            List.of(), List.of(RUN_ID, INPUT_FILE));

    /** One zone of a site and the instant from which it applies. */
    private static final StructType TIME_ZONE_SPAN = new StructType(new StructField[]{
            column("time_zone", DataTypes.StringType, "Zone id of the site (sites.time_zone)."),
            column("effective_from", DataTypes.TimestampType, "UTC instant from which it applies; null = since always."),
    });

    public static final TableSpec PLAN_SEGMENTS = new TableSpec(Tables.PLAN_SEGMENTS,
            "Grain: one row per site, billing month and plan segment (the days rated with one rate card, R8) of the latest "
                    + "invoice version, plus one row (plan_id null) for the days without a plan when there are any. "
                    + "Written with the invoice lines; what usage statements show. Partitioned by billing_month.",
            new StructType(new StructField[]{
                    key(Columns.SITE_ID, DataTypes.StringType, "Customer account."),
                    key(BILLING_MONTH, DataTypes.StringType, "yyyy-MM billed."),
                    key("invoice_version", DataTypes.IntegerType, "The invoice version rated with these segments."),
                    column(Columns.PLAN_ID, DataTypes.StringType, "Plan of the segment; null for the days without a plan assignment."),
                    column("plan_version", DataTypes.StringType, "Rate card version; null when plan_id is null."),
                    column("currency", DataTypes.StringType, "Currency of the card; null when plan_id is null."),
                    key("local_dates", DataTypes.createArrayType(DataTypes.DateType, false),
                            "The segment's days (local dates of the site), ascending; a segment need not be contiguous."),
                    key("first_date", DataTypes.DateType, "First day of the segment."),
                    key("last_date", DataTypes.DateType, "Last day of the segment."),
                    key("segment_days", DataTypes.IntegerType, "Number of days of the segment."),
                    key("days_in_month", DataTypes.IntegerType, "Calendar days of the billing month."),
                    key("included_dar", DataTypes.LongType, "DARs included: round_half_up(card included_dar * segment_days / "
                            + "days_in_month) (R8); 0 without a plan."),
                    column("overage_block_size", DataTypes.LongType, "DARs per overage block of the card."),
                    column("overage_block_price", MONEY, "Price of an overage block, in currency."),
                    column("free_invocations", DataTypes.LongType, "Function invocations free in the segment, prorated like included_dar."),
                    key("intent_manager_days", DataTypes.IntegerType, "Days of the segment with Intent Manager on (R4)."),
                    column("time_zones", DataTypes.createArrayType(TIME_ZONE_SPAN, false),
                            "The site's zones in force during the month (sites table), oldest first: local dates are in these zones."),
                    column(RUN_ID, DataTypes.StringType, "The run that wrote the row."),
            }),
            List.of(BILLING_MONTH), List.of(Columns.SITE_ID, BILLING_MONTH, Columns.PLAN_ID, "plan_version"));

    private static final StructType SEGMENT_PROJECTION = new StructType(new StructField[]{
            column(Columns.PLAN_ID, DataTypes.StringType, "Plan of the segment; null for the days without a plan."),
            column("plan_version", DataTypes.StringType, "Rate card version; null when plan_id is null."),
            column("segment_days", DataTypes.IntegerType, "Days of the segment."),
            column("complete_days", DataTypes.IntegerType, "Days of the segment complete at as_of."),
            column("included_dar", DataTypes.LongType, "Included DARs, prorated (R8)."),
            column("dars_so_far", DataTypes.LongType, "DARs counted on the segment's days."),
            column("projected_dars", DataTypes.LongType, "Projected DARs of the segment at month end."),
            column("projected_overage_blocks", DataTypes.LongType, "Overage blocks the projection would cost (R3)."),
            column("projected_overage_amount", MONEY, "Their amount, in currency."),
            column("currency", DataTypes.StringType, "Currency of the card; null without a plan."),
    });

    public static final TableSpec USAGE_PROJECTIONS = new TableSpec(Tables.USAGE_PROJECTIONS,
            "Grain: one row per site, billing month in progress and as_of (the run's cutoff): the month-end DARs and DAR overage "
                    + "projected from the complete local days so far; one row per run that rated the month, so the history stays. "
                    + "Method: DARs on the complete days of each plan segment plus DARs per complete day times the segment's days "
                    + "still to come (never less than counted). Partitioned by billing_month.",
            new StructType(new StructField[]{
                    key(Columns.SITE_ID, DataTypes.StringType, "Customer account."),
                    key(BILLING_MONTH, DataTypes.StringType, "yyyy-MM projected, in progress at as_of."),
                    key("as_of", DataTypes.TimestampType, "The cutoff of the run that projected (runs.as_of): the figures are as of then."),
                    key("time_zone", DataTypes.StringType, "The site's zone at as_of: a local day is complete when it ended in it by as_of."),
                    key("dars_so_far", DataTypes.LongType, "DARs of the month counted at as_of (days without a plan included)."),
                    key("complete_days", DataTypes.IntegerType, "Local days of the month complete at as_of."),
                    key("days_in_month", DataTypes.IntegerType, "Calendar days of the month."),
                    key("projected_dars", DataTypes.LongType, "Projected month-end DARs."),
                    key("included_dar", DataTypes.LongType, "DARs included in the month: the sum of the segments' prorated allowances (R8)."),
                    key("projected_overage_blocks", DataTypes.LongType, "Overage blocks projected, summed over the segments (R3 per segment)."),
                    column("projected_overage_amount", MONEY, "Their amount; null when the segments bill in different currencies."),
                    column("currency", DataTypes.StringType, "Currency of the amount; null when there is no plan or several."),
                    key("level", DataTypes.StringType, "OVER when a segment is projected over its allowance, NEAR when one is projected "
                            + "at 80% of it or more, OK otherwise."),
                    column("segments", DataTypes.createArrayType(SEGMENT_PROJECTION, false), "The projection per plan segment."),
                    column(RUN_ID, DataTypes.StringType, "The run that wrote the row."),
            }),
            List.of(BILLING_MONTH), List.of(Columns.SITE_ID, BILLING_MONTH, "as_of"));

    public static final List<TableSpec> ALL = List.of(DAILY_ACTIVE_RELATIONSHIPS, CREDIT_USAGE, INVOICE_LINES, QUARANTINE, RUNS,
            REJECTED_FILES, PLAN_SEGMENTS, USAGE_PROJECTIONS);

    private OutputTables() {
    }

    private static StructField key(String name, DataType type, String comment) {
        return new StructField(name, type, false, org.apache.spark.sql.types.Metadata.empty()).withComment(comment);
    }

    private static StructField column(String name, DataType type, String comment) {
        return new StructField(name, type, true, org.apache.spark.sql.types.Metadata.empty()).withComment(comment);
    }
}
