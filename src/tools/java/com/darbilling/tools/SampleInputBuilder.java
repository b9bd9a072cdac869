package com.darbilling.tools;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Builds the Parquet input root of data-samples/ from its human-readable source: one CSV per
 * table for the hand-made rows (event tables name their event_date partition explicitly, so a
 * misfiled row can be written on purpose), and bulk.csv describing generated rows.
 */
public final class SampleInputBuilder {
    private final SparkSession spark;

    public SampleInputBuilder(SparkSession spark) {
        this.spark = spark;
    }

    /** Spark settings for the files it writes: instants as Parquet TIMESTAMP (micros, adjusted to UTC). */
    public static final java.util.Map<String, String> SETTINGS = java.util.Map.of(
            "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS",
            "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");

    public void build(Path source, Path out) {
        LocalWrites.withoutChecksums(spark, () -> write(source, out));
    }

    private void write(Path source, Path out) {
        Dataset<Row> bulk = csv(source.resolve("bulk.csv"));
        write(csv(source.resolve("sites.csv")).select(
                col(Inputs.SITE_ID), col(Inputs.TIME_ZONE), instant(Inputs.EFFECTIVE_FROM)), out, Inputs.SITES, false);
        write(csv(source.resolve("site_plans.csv")).select(
                col(Inputs.SITE_ID), col(Inputs.PLAN_ID), col(Inputs.EFFECTIVE_FROM).cast(DataTypes.DateType).as(Inputs.EFFECTIVE_FROM),
                col(Inputs.EFFECTIVE_TO).cast(DataTypes.DateType).as(Inputs.EFFECTIVE_TO),
                col(Inputs.INTENT_MANAGER).cast(DataTypes.BooleanType).as(Inputs.INTENT_MANAGER)), out, Inputs.SITE_PLANS, false);
        write(csv(source.resolve("cobrowse_sessions.csv")).select(
                col(Inputs.SESSION_ID), col(Inputs.SITE_ID), instant(Inputs.STARTED_AT),
                col(Inputs.INTERACTIVE).cast(DataTypes.BooleanType).as(Inputs.INTERACTIVE)), out, Inputs.COBROWSE_SESSIONS, false);

        Dataset<Row> messages = withTypes(csv(source.resolve("messages.csv")), EventSource.MESSAGES)
                .unionByName(bulkMessages(bulk));
        write(messages, out, Inputs.MESSAGES, true);
        Dataset<Row> invocations = withTypes(csv(source.resolve("function_invocations.csv")), EventSource.FUNCTION_INVOCATIONS)
                .unionByName(bulkInvocations(bulk));
        write(invocations, out, Inputs.FUNCTION_INVOCATIONS, true);
    }

    private Dataset<Row> csv(Path file) {
        // Every column as text: types are set explicitly below, never inferred.
        return spark.read().option("header", "true").option("ignoreLeadingWhiteSpace", "false")
                .option("ignoreTrailingWhiteSpace", "false").csv(file.toString());
    }

    private static Column instant(String column) {
        return to_timestamp(col(column)).as(column);
    }

    private static Dataset<Row> withTypes(Dataset<Row> rows, EventSource source) {
        List<Column> columns = new ArrayList<>();
        source.schema().foreach(f -> columns.add(col(f.name()).cast(f.dataType()).as(f.name())));
        columns.add(col(Inputs.EVENT_DATE).cast(DataTypes.DateType).as(Inputs.EVENT_DATE));
        return rows.select(columns.toArray(Column[]::new));
    }

    /** bulk.csv rows for messages: {@code count} end users, one message each at {@code at}. */
    private Dataset<Row> bulkMessages(Dataset<Row> bulk) {
        List<Dataset<Row>> parts = new ArrayList<>();
        for (Row b : bulk.where(col("table").equalTo(Inputs.MESSAGES)).collectAsList()) {
            parts.add(spark.range(1, Long.parseLong(b.getAs("count")) + 1).select(
                    format_string(b.getAs("id_format"), col("id")).as(Inputs.MESSAGE_ID),
                    lit(b.<String>getAs("site_id")).as(Inputs.SITE_ID),
                    format_string("conv-" + b.getAs("id_format"), col("id")).as(Inputs.CONVERSATION_ID),
                    format_string(b.getAs("consumer_format"), col("id")).as(Inputs.CONSUMER_ID),
                    lit(b.<String>getAs("sender_role")).as(Inputs.SENDER_ROLE),
                    lit(null).cast(DataTypes.StringType).as(Inputs.SENDER_ID),
                    lit(b.<String>getAs("channel")).as(Inputs.CHANNEL),
                    to_timestamp(lit(b.<String>getAs("at"))).as(Inputs.SENT_AT),
                    to_date(to_timestamp(lit(b.<String>getAs("at")))).as(Inputs.EVENT_DATE)));
        }
        return parts.stream().reduce(Dataset::unionByName).orElseThrow();
    }

    /** bulk.csv rows for function_invocations: {@code count} invocations at {@code at}. */
    private Dataset<Row> bulkInvocations(Dataset<Row> bulk) {
        List<Dataset<Row>> parts = new ArrayList<>();
        for (Row b : bulk.where(col("table").equalTo(Inputs.FUNCTION_INVOCATIONS)).collectAsList()) {
            parts.add(spark.range(1, Long.parseLong(b.getAs("count")) + 1).select(
                    format_string(b.getAs("id_format"), col("id")).as(Inputs.INVOCATION_ID),
                    lit(b.<String>getAs("site_id")).as(Inputs.SITE_ID),
                    lit("fn-bulk").as(Inputs.FUNCTION_ID),
                    to_timestamp(lit(b.<String>getAs("at"))).as(Inputs.INVOKED_AT),
                    to_date(to_timestamp(lit(b.<String>getAs("at")))).as(Inputs.EVENT_DATE)));
        }
        return parts.stream().reduce(Dataset::unionByName).orElseThrow();
    }

    private static void write(Dataset<Row> rows, Path out, String table, boolean partitioned) {
        String path = out.resolve(table).toString();
        if (partitioned) {
            rows.repartition(col(Inputs.EVENT_DATE)).write().mode(SaveMode.Overwrite).partitionBy(Inputs.EVENT_DATE).parquet(path);
        } else {
            rows.coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
        }
    }
}
