package com.darbilling.dar;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.contract.SenderRole;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Daily Active Relationships (R1) and platform users (R7) from accepted, de-duplicated messages. */
public final class Dars {
    private Dars() {
    }

    /** One row per (site_id, consumer_id, local_date) with a CONSUMER, AGENT or BOT message. */
    public static Dataset<Row> fromMessages(Dataset<Row> messages) {
        return messages
                .filter(col(Inputs.SENDER_ROLE).isin(SenderRole.COUNTABLE.toArray()))
                .select(col(Inputs.SITE_ID), col(Inputs.CONSUMER_ID), col(Columns.LOCAL_DATE),
                        col(Columns.BILLING_MONTH))
                .distinct();
    }

    /** One row per AGENT or BOT sender of a site in a billing month: site_id, billing_month, sender_id. */
    public static Dataset<Row> platformUserIds(Dataset<Row> messages) {
        return messages
                .filter(col(Inputs.SENDER_ROLE).isin(SenderRole.PLATFORM_USERS.toArray()))
                .select(col(Inputs.SITE_ID), col(Columns.BILLING_MONTH), col(Inputs.SENDER_ID))
                .distinct();
    }
}
