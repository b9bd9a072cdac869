package com.darbilling.privacy;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Inputs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Replaces consumer_id by its pseudonym, under the same column name, before anything is written.
 * A blank id (quarantined as missing) is no personal data and stays as it is.
 * A UDF on purpose: built from sha2 the key would appear in the query plan, the Spark UI and the
 * event log; inside the function it travels only in the serialized task.
 */
public final class Pseudonyms {
    private Pseudonyms() {
    }

    public static Dataset<Row> withPseudonymousConsumer(Dataset<Row> rows, PseudonymKey key) {
        return rows.withColumn(Inputs.CONSUMER_ID, pseudonym(key).apply(col(Inputs.SITE_ID), col(Inputs.CONSUMER_ID)));
    }

    static UserDefinedFunction pseudonym(PseudonymKey key) {
        UDF2<String, String, String> hmac = (site, consumer) -> consumer == null || consumer.isBlank() ? consumer : key.pseudonym(site, consumer);
        return udf(hmac, DataTypes.StringType).withName("pseudonym");
    }
}
