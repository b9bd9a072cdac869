package com.darbilling.input;

import static com.darbilling.contract.Inputs.*;

import com.darbilling.contract.Inputs;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** An input table of events: what it holds, what is required, how rows are keyed and timed. */
public enum EventSource {
    MESSAGES(Inputs.MESSAGES, MESSAGE_ID, SENT_AT, true,
            new StructType()
                    .add(MESSAGE_ID, DataTypes.StringType)
                    .add(SITE_ID, DataTypes.StringType)
                    .add(CONVERSATION_ID, DataTypes.StringType)
                    .add(CONSUMER_ID, DataTypes.StringType)
                    .add(SENDER_ROLE, DataTypes.StringType)
                    .add(SENDER_ID, DataTypes.StringType)
                    .add(CHANNEL, DataTypes.StringType)
                    .add(SENT_AT, DataTypes.TimestampType),
            List.of(MESSAGE_ID, SITE_ID, CONSUMER_ID, SENDER_ROLE, CHANNEL, SENT_AT)),
    COBROWSE_SESSIONS(Inputs.COBROWSE_SESSIONS, SESSION_ID, STARTED_AT, false,
            new StructType()
                    .add(SESSION_ID, DataTypes.StringType)
                    .add(SITE_ID, DataTypes.StringType)
                    .add(STARTED_AT, DataTypes.TimestampType)
                    .add(INTERACTIVE, DataTypes.BooleanType),
            List.of(SESSION_ID, SITE_ID, STARTED_AT, INTERACTIVE)),
    FUNCTION_INVOCATIONS(Inputs.FUNCTION_INVOCATIONS, INVOCATION_ID, INVOKED_AT, true,
            new StructType()
                    .add(INVOCATION_ID, DataTypes.StringType)
                    .add(SITE_ID, DataTypes.StringType)
                    .add(FUNCTION_ID, DataTypes.StringType)
                    .add(INVOKED_AT, DataTypes.TimestampType),
            List.of(INVOCATION_ID, SITE_ID, INVOKED_AT));

    private final String table;
    private final String idColumn;
    private final String timeColumn;
    private final boolean partitionedByEventDate;
    private final StructType schema;
    private final List<String> requiredColumns;

    EventSource(String table, String idColumn, String timeColumn, boolean partitionedByEventDate, StructType schema,
                List<String> requiredColumns) {
        this.table = table;
        this.idColumn = idColumn;
        this.timeColumn = timeColumn;
        this.partitionedByEventDate = partitionedByEventDate;
        this.schema = schema;
        this.requiredColumns = requiredColumns;
    }

    /** The input of a directory name (a value of quarantine.source or processed_files.source). */
    public static EventSource ofTable(String table) {
        for (EventSource source : values()) {
            if (source.table.equals(table)) {
                return source;
            }
        }
        throw new IllegalArgumentException("not an input table of events: " + table);
    }

    /** Directory name under the input root, and the value of quarantine.source. */
    public String table() {
        return table;
    }

    /** The column duplicates are keyed on. */
    public String idColumn() {
        return idColumn;
    }

    /** The UTC instant whose local date places the row in a day and a billing month. */
    public String timeColumn() {
        return timeColumn;
    }

    public boolean partitionedByEventDate() {
        return partitionedByEventDate;
    }

    /** The contract columns and types, without the event_date partition column. */
    public StructType schema() {
        return schema;
    }

    /** Null or blank in any of these quarantines the row as MISSING_REQUIRED_FIELD. */
    public List<String> requiredColumns() {
        return requiredColumns;
    }

    public List<String> columns() {
        return List.of(schema.fieldNames());
    }

    /**
     * The columns a quarantine record keeps: the row's id and what the billing rules read. Columns
     * that billing never reads ({@code conversation_id}, {@code function_id}) are left out: free
     * text that may embed an end user's id, and nobody needs them to find or fix the row.
     */
    public List<String> recordColumns() {
        return columns().stream().filter(c -> !NOT_READ_BY_BILLING.contains(c)).toList();
    }

    private static final java.util.Set<String> NOT_READ_BY_BILLING = java.util.Set.of(CONVERSATION_ID, FUNCTION_ID);

    public DataType typeOf(String column) {
        return schema.apply(column).dataType();
    }
}
