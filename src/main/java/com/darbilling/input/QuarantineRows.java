package com.darbilling.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.privacy.Pseudonyms;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Rejected events as rows of the quarantine table. */
public final class QuarantineRows {
    private QuarantineRows() {
    }

    /**
     * The quarantine rows of {@code rejected} (classified rows with a reason). The record keeps
     * what the billing rules read and what finds the row in the raw input (its id, its event_date;
     * the file is a column of its own), with every end-user id replaced by its pseudonym; columns
     * billing never reads (conversation_id, function_id) are left out: they may embed an end user's
     * id and nobody needs them to fix a row.
     */
    public static Dataset<Row> of(Dataset<Row> rejected, EventSource source, String runId, PseudonymKey key) {
        Dataset<Row> pseudonymous = Pseudonyms.withPseudonymousEndUsers(rejected, key);
        List<Column> recordColumns = new ArrayList<>();
        source.recordColumns().forEach(c -> recordColumns.add(col(c)));
        if (source.partitionedByEventDate()) {
            recordColumns.add(col(Inputs.EVENT_DATE));
        }
        return pseudonymous.select(
                lit(source.table()).as(Columns.SOURCE),
                col(EventValidation.QUARANTINE_REASON).as(Columns.REASON),
                to_json(struct(recordColumns.toArray(Column[]::new))).as(Columns.RECORD),
                lit(runId).as(Columns.RUN_ID),
                col(EventValidation.SCOPE_MONTH).as(Columns.BILLING_MONTH),
                col(Columns.INPUT_FILE));
    }
}
