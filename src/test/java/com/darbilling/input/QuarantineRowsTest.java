package com.darbilling.input;

import static com.darbilling.testing.Fixtures.classifyMessages;
import static com.darbilling.testing.Fixtures.message;
import static com.darbilling.testing.Fixtures.zone;
import static com.darbilling.testing.Fixtures.zones;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.output.OutputTables;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.testing.DataFrameAssertions;
import com.darbilling.testing.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Rejected events as quarantine rows: the columns billing reads, end users pseudonymous, the file named. */
class QuarantineRowsTest {
    private static final PseudonymKey KEY = PseudonymKey.of("test-key-0123456789abcdef");
    /** HMAC-SHA256 of "s-newyork\nc-ann" under KEY (openssl, see PseudonymKeyTest). */
    private static final String ANN = "73c698897d575039e146dd921001671bfc1f89daca5ae79fbd31c6226e6de5e6";
    private static final String FILE = "file:///in/messages/event_date=2026-10-14/part-0.parquet";

    @Test
    void aRejectedMessageKeepsWhatBillingReadsWithEndUsersPseudonymous() {
        Dataset<Row> classified = classifyMessages(zones(zone("s-newyork", "America/New_York", null)),
                message("q1", "s-newyork", "c-ann", "CONSUMER", "c-ann", "CARRIER_PIGEON", "2026-10-14T15:00:00Z"),
                message("q2", "s-newyork", null, "AGENT", "agent-1", "WEB", "2026-10-14T16:00:00Z"))
                .withColumn(Columns.INPUT_FILE, lit(FILE));

        Dataset<Row> rows = QuarantineRows.of(classified.where(col(EventValidation.QUARANTINE_REASON).isNotNull()), EventSource.MESSAGES,
                "run-1", KEY);

        StructType schema = new StructType().add("source", DataTypes.StringType, false).add("reason", DataTypes.StringType)
                .add("record", DataTypes.StringType).add("run_id", DataTypes.StringType, false)
                .add("billing_month", DataTypes.StringType).add("input_file", DataTypes.StringType, false);
        // conversation_id left out; the consumer's own sender_id pseudonymous, the agent's kept; a null consumer stays absent.
        Dataset<Row> expected = TestSpark.session().createDataFrame(List.of(
                RowFactory.create("messages", "UNKNOWN_CHANNEL", "{\"message_id\":\"q1\",\"site_id\":\"s-newyork\",\"consumer_id\":\"" + ANN
                        + "\",\"sender_role\":\"CONSUMER\",\"sender_id\":\"" + ANN + "\",\"channel\":\"CARRIER_PIGEON\","
                        + "\"sent_at\":\"2026-10-14T15:00:00.000Z\",\"event_date\":\"2026-10-14\"}", "run-1", "2026-10", FILE),
                RowFactory.create("messages", "MISSING_REQUIRED_FIELD", "{\"message_id\":\"q2\",\"site_id\":\"s-newyork\","
                        + "\"sender_role\":\"AGENT\",\"sender_id\":\"agent-1\",\"channel\":\"WEB\","
                        + "\"sent_at\":\"2026-10-14T16:00:00.000Z\",\"event_date\":\"2026-10-14\"}", "run-1", "2026-10", FILE)), schema);
        DataFrameAssertions.assertSameRows(expected, rows);
        // The columns of the quarantine table, in its order.
        org.junit.jupiter.api.Assertions.assertEquals(List.of(OutputTables.QUARANTINE.schema().fieldNames()),
                List.of(rows.columns()));
    }
}
