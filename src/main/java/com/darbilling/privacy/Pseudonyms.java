package com.darbilling.privacy;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Inputs;
import com.darbilling.contract.SenderRole;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Replaces end-user ids by their pseudonyms, under the same column names, before anything is
 * written. A blank id (quarantined as missing) is no personal data and stays as it is.
 * A UDF on purpose: built from sha2 the key would appear in the query plan, the Spark UI and the
 * event log; inside the function it travels only in the serialized task.
 */
public final class Pseudonyms {
    private Pseudonyms() {
    }

    public static Dataset<Row> withPseudonymousConsumer(Dataset<Row> rows, PseudonymKey key) {
        return rows.withColumn(Inputs.CONSUMER_ID, pseudonym(key).apply(col(Inputs.SITE_ID), col(Inputs.CONSUMER_ID)));
    }

    /**
     * Every end-user id of the rows present replaced: {@code consumer_id}, and {@code sender_id}
     * unless the message's role is exactly AGENT or BOT (a platform user, not an end user). A
     * CONSUMER's sender_id is the end user's own id; SYSTEM, an unknown or a missing role may carry
     * one too, so only the two platform roles keep theirs.
     */
    public static Dataset<Row> withPseudonymousEndUsers(Dataset<Row> rows, PseudonymKey key) {
        List<String> columns = List.of(rows.columns());
        Dataset<Row> out = columns.contains(Inputs.CONSUMER_ID) ? withPseudonymousConsumer(rows, key) : rows;
        if (columns.contains(Inputs.SENDER_ID)) {
            boolean knowsRole = columns.contains(Inputs.SENDER_ROLE);
            org.apache.spark.sql.Column platformUser = knowsRole
                    ? coalesce(col(Inputs.SENDER_ROLE).isin(SenderRole.PLATFORM_USERS.toArray()), lit(false))
                    : lit(false);
            out = out.withColumn(Inputs.SENDER_ID, when(platformUser, col(Inputs.SENDER_ID))
                    .otherwise(pseudonym(key).apply(col(Inputs.SITE_ID), col(Inputs.SENDER_ID))));
        }
        return out;
    }

    static UserDefinedFunction pseudonym(PseudonymKey key) {
        UDF2<String, String, String> hmac = (site, consumer) -> consumer == null || consumer.isBlank() ? consumer : key.pseudonym(site, consumer);
        return udf(hmac, DataTypes.StringType).withName("pseudonym");
    }
}
