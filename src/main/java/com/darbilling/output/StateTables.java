package com.darbilling.output;

import static com.darbilling.contract.Columns.BILLING_MONTH;

import com.darbilling.contract.Columns;
import com.darbilling.input.EventSource;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The pipeline's own state under {@code _billing_state/} of the warehouse: the de-duplicated usage
 * that is not a DAR (so a nightly run rates a month without reading its raw files again) and the
 * log of raw files already processed. Not a public contract.
 */
public final class StateTables {
    public static final String DIRECTORY = "_billing_state";

    public static final TableSpec COBROWSE_SESSIONS = new TableSpec(DIRECTORY + "/cobrowse_sessions",
            "Grain: one accepted co-browse session per session_id and billing month (the month's earliest delivery; the month of"
                    + " the earliest of them counts it).",
            new StructType(new StructField[]{
                    field("session_id", DataTypes.StringType, false, "Session id."),
                    field(Columns.SITE_ID, DataTypes.StringType, false, "Customer account."),
                    field("started_at", DataTypes.TimestampType, false, "UTC instant."),
                    field("interactive", DataTypes.BooleanType, false, "Interactive sessions earn credits."),
                    field(Columns.LOCAL_DATE, DataTypes.DateType, false, "Local date of started_at in the site's zone."),
                    field(BILLING_MONTH, DataTypes.StringType, false, "yyyy-MM of local_date."),
            }), List.of(BILLING_MONTH), List.of("session_id", BILLING_MONTH));

    public static final TableSpec FUNCTION_INVOCATIONS = new TableSpec(DIRECTORY + "/function_invocations",
            "Grain: one accepted Function invocation per invocation_id and billing month (the month's earliest delivery; the"
                    + " month of the earliest of them counts it).",
            new StructType(new StructField[]{
                    field("invocation_id", DataTypes.StringType, false, "Invocation id."),
                    field(Columns.SITE_ID, DataTypes.StringType, false, "Customer account."),
                    field("invoked_at", DataTypes.TimestampType, false, "UTC instant."),
                    field(Columns.LOCAL_DATE, DataTypes.DateType, false, "Local date of invoked_at in the site's zone."),
                    field(BILLING_MONTH, DataTypes.StringType, false, "yyyy-MM of local_date."),
            }), List.of(BILLING_MONTH), List.of("invocation_id", BILLING_MONTH));

    public static final TableSpec PLATFORM_USERS = new TableSpec(DIRECTORY + "/platform_users",
            "Grain: one AGENT or BOT sender per site and billing month (R7).",
            new StructType(new StructField[]{
                    field(Columns.SITE_ID, DataTypes.StringType, false, "Customer account."),
                    field(BILLING_MONTH, DataTypes.StringType, false, "yyyy-MM of the local date of the message."),
                    field("sender_id", DataTypes.StringType, false, "Agent or bot id."),
            }), List.of(BILLING_MONTH), List.of(Columns.SITE_ID, BILLING_MONTH, "sender_id"));

    public static final TableSpec PROCESSED_FILES = new TableSpec(DIRECTORY + "/processed_files",
            "Grain: one raw input file whose rows a nightly batch has merged into the warehouse.",
            new StructType(new StructField[]{
                    field("path", DataTypes.StringType, false, "File URI as Spark reads it."),
                    field(Columns.SOURCE, DataTypes.StringType, false, "Input table."),
                    field("size", DataTypes.LongType, false, "Bytes when processed."),
                    field("modified_at", DataTypes.TimestampType, false, "Modification time when processed."),
                    field("batch_id", DataTypes.LongType, false, "The nightly batch that processed it."),
            }), List.of(), List.of("path"));

    /** A raw file of a batch as it was when the batch was planned (Delta takes no NOT NULL inside an array). */
    public static final StructType BATCH_FILE = new StructType(new StructField[]{
            field(Columns.SOURCE, DataTypes.StringType, true, "Input table."),
            field("path", DataTypes.StringType, true, "File URI as Spark reads it."),
            field("size", DataTypes.LongType, true, "Bytes when planned."),
            field("modified_at", DataTypes.TimestampType, true, "Modification time when planned."),
    });

    /**
     * Until version 0.1 the batches were in {@code _billing_state/batches} with files as
     * "source|path" strings; that table is no longer read: a batch left unfinished there has not
     * marked its files processed, so the next run takes them again.
     */
    public static final TableSpec BATCHES = new TableSpec(DIRECTORY + "/nightly_batches",
            "Grain: one nightly batch: the files it processes, planned before its first write, then done.",
            new StructType(new StructField[]{
                    field("batch_id", DataTypes.LongType, false, "1, 2, ... in order."),
                    field(Columns.RUN_ID, DataTypes.StringType, false, "The run that planned it."),
                    field("files", DataTypes.createArrayType(BATCH_FILE), false, "Files of the batch, as planned."),
                    field("done", DataTypes.BooleanType, false, "True once every write of the batch is committed."),
            }), List.of(), List.of("batch_id"));

    /**
     * The fingerprint of the pseudonym key the warehouse's pseudonyms are made with, recorded by its
     * first run (or adopted by the first run after this table was introduced). A run with another key
     * would add a second pseudonym for every end user: it is refused before it writes.
     */
    public static final TableSpec KEY_FINGERPRINT = new TableSpec(DIRECTORY + "/key_fingerprint",
            "Grain: one row per fingerprint label: the fingerprint of the pseudonym key this warehouse is written with.",
            new StructType(new StructField[]{
                    field("label", DataTypes.StringType, false, "The fixed message of the fingerprint (its version)."),
                    field("fingerprint", DataTypes.StringType, false, "hex(HMAC-SHA256(key, label)); never the key."),
                    field(Columns.RUN_ID, DataTypes.StringType, false, "The run that recorded it."),
            }), List.of(), List.of("label"));

    /**
     * Months whose reprocess started writing and has not finished: between its first and last write
     * a month's DARs, invoice lines and plan segments may disagree, so a nightly run must not build on it.
     */
    public static final TableSpec UNFINISHED_MONTHS = new TableSpec(DIRECTORY + "/unfinished_months",
            "Grain: one row per billing month a reprocess started writing and has not finished.",
            new StructType(new StructField[]{
                    field(BILLING_MONTH, DataTypes.StringType, false, "yyyy-MM being reprocessed."),
                    field(Columns.RUN_ID, DataTypes.StringType, false, "The reprocess run that marked it."),
            }), List.of(), List.of(BILLING_MONTH));

    /**
     * Raw files a nightly run found changed (another size or modification time than when they were
     * processed) or gone since they were billed, with each billing month they touch. A nightly run
     * merges only ids it has not seen, so it cannot take a changed file's old rows out: the months
     * wait for a reprocess, which deletes its month's rows; when a file has no row left, processed_files
     * takes its current size and time (or loses its row, for a file gone).
     */
    public static final TableSpec CHANGED_FILES = new TableSpec(DIRECTORY + "/changed_files",
            "Grain: one row per raw file changed or gone after it was billed and billing month it touches, until that month is reprocessed.",
            new StructType(new StructField[]{
                    field("path", DataTypes.StringType, false, "File URI as Spark reads it (processed_files.path)."),
                    field(Columns.SOURCE, DataTypes.StringType, false, "Input table."),
                    field(BILLING_MONTH, DataTypes.StringType, false, "yyyy-MM the file's rows may lie in: reprocess it."),
                    field("old_size", DataTypes.LongType, false, "Bytes when processed (processed_files.size)."),
                    field("old_modified_at", DataTypes.TimestampType, false, "Modification time when processed."),
                    field("new_size", DataTypes.LongType, true, "Bytes when the change was found; null when the file is gone."),
                    field("new_modified_at", DataTypes.TimestampType, true, "Modification time when the change was found; null when gone."),
                    field("detected_by", DataTypes.StringType, false, "The nightly run that found the change."),
            }), List.of(), List.of("path", BILLING_MONTH));

    /** The month state of an input's usage that is not a DAR: co-browse sessions, Function invocations. */
    public static TableSpec usageOf(EventSource source) {
        return switch (source) {
            case COBROWSE_SESSIONS -> COBROWSE_SESSIONS;
            case FUNCTION_INVOCATIONS -> FUNCTION_INVOCATIONS;
            case MESSAGES -> throw new IllegalArgumentException("messages have no usage state: they become DARs");
        };
    }

    /**
     * What of the reference data (zone rows, plan assignments, rate cards) each site-month was last
     * rated with, as fingerprints: a nightly run compares them with the reference data of the day and
     * brings the months whose reference changed where a reprocess would put them.
     */
    public static final TableSpec REFERENCE_FINGERPRINTS = new TableSpec(DIRECTORY + "/reference_fingerprints",
            "Grain: one row per billing month and site with a zone row or a plan assignment bearing on that month, as last rated.",
            new StructType(new StructField[]{
                    field(BILLING_MONTH, DataTypes.StringType, false, "yyyy-MM rated."),
                    field(Columns.SITE_ID, DataTypes.StringType, false, "The site."),
                    field("zone", DataTypes.StringType, true, "Fingerprint of the site's zone rows in force from a day before the month to a day after it; null: none."),
                    field("plans", DataTypes.StringType, true, "Fingerprint of the site's plan assignments in force on a day of the month; null: none."),
                    field("cards", DataTypes.StringType, true, "Fingerprint of the rate cards of those plans for the month; null: none."),
                    field(Columns.RUN_ID, DataTypes.StringType, false, "The run that rated the month with them."),
            }), List.of(), List.of(BILLING_MONTH, Columns.SITE_ID));

    public static final List<TableSpec> MONTH_STATE = List.of(COBROWSE_SESSIONS, FUNCTION_INVOCATIONS, PLATFORM_USERS);

    private StateTables() {
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable, String comment) {
        return new StructField(name, type, nullable, Metadata.empty()).withComment(comment);
    }
}
