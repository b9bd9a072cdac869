package com.darbilling.tools;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Inputs;
import com.darbilling.input.ReferenceTable;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a synthetic input root in the spec's layout, deterministic for a seed: sites over many
 * zones (DST, :30 and :45 offsets), a skewed number of messages per site, conversations of end
 * users with agents and bots on four channels, SYSTEM notices, about 0.5% repeated deliveries and
 * 0.1% rows with an unknown channel, co-browse sessions and Function invocations. Randomness
 * comes from hashes of the row number and the seed, so Spark generates it in parallel.
 */
public final class InputGenerator {
    static final List<String> ZONES = List.of("America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu",
            "Australia/Sydney", "America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin", "America/Sao_Paulo", "Pacific/Chatham",
            "America/St_Johns", "Asia/Tehran", "Australia/Adelaide", "Africa/Casablanca", "UTC", "America/Chicago");

    private final SparkSession spark;

    public InputGenerator(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * The cutoff under which a generated (or any complete) month is billed whatever today's date:
     * the first instant of the next month in UTC. With the one-day margin of the cutoff it covers
     * every local day of the month in every zone.
     */
    public static java.time.Instant completeAsOf(YearMonth month) {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public void generate(Path out, long messages, int sites, YearMonth month, long seed) {
        LocalWrites.withoutChecksums(spark, () -> write(out, messages, sites, month, seed));
    }

    private void write(Path out, long messages, int sites, YearMonth month, long seed) {
        long start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long seconds = month.lengthOfMonth() * 86_400L;
        writeSites(out, sites);
        long consumersPerSite = Math.max(20, messages / Math.max(1, sites) / 8);

        Column id = col("id");
        Column site = concat(lit("site-"), floor(pow(uniform(id, seed, 1), 2).multiply(sites)).cast("long").cast("string"));
        Column role = element_at(array(lit("CONSUMER"), lit("CONSUMER"), lit("CONSUMER"), lit("CONSUMER"), lit("AGENT"), lit("AGENT"),
                lit("AGENT"), lit("BOT"), lit("BOT"), lit("SYSTEM")), pmod(xxhash64(id, lit(seed), lit(3)), lit(10)).plus(1).cast("int"));
        Dataset<Row> rows = spark.range(messages).select(
                concat(lit("m-" + seed + "-"), id.cast("string")).as(Inputs.MESSAGE_ID),
                site.as(Inputs.SITE_ID),
                concat(lit("conv-"), pmod(xxhash64(id, lit(seed), lit(2)), lit(consumersPerSite * 3)).cast("string")).as(Inputs.CONVERSATION_ID),
                concat(lit("c-"), pmod(xxhash64(id, lit(seed), lit(2)), lit(consumersPerSite)).cast("string")).as(Inputs.CONSUMER_ID),
                role.as(Inputs.SENDER_ROLE),
                when(role.equalTo("AGENT"), concat(lit("a-"), pmod(xxhash64(id, lit(seed), lit(4)), lit(8)).cast("string")))
                        .when(role.equalTo("BOT"), concat(lit("b-"), pmod(xxhash64(id, lit(seed), lit(4)), lit(3)).cast("string")))
                        .as(Inputs.SENDER_ID),
                when(pmod(xxhash64(id, lit(seed), lit(7)), lit(1000)).equalTo(0), lit("web"))
                        .otherwise(element_at(array(lit("WEB"), lit("SMS"), lit("EMAIL"), lit("FACEBOOK")),
                                pmod(xxhash64(id, lit(seed), lit(5)), lit(4)).plus(1).cast("int"))).as(Inputs.CHANNEL),
                timestamp_seconds(lit(start).plus(pmod(xxhash64(id, lit(seed), lit(6)), lit(seconds)))).as(Inputs.SENT_AT));
        Dataset<Row> repeated = rows.where(pmod(xxhash64(col(Inputs.MESSAGE_ID), lit(seed)), lit(200)).equalTo(0));
        writeEvents(out.resolve(Inputs.MESSAGES), rows.unionByName(repeated), Inputs.SENT_AT);

        Dataset<Row> invocations = spark.range(messages / 20).select(
                concat(lit("inv-" + seed + "-"), id.cast("string")).as(Inputs.INVOCATION_ID),
                site.as(Inputs.SITE_ID),
                concat(lit("fn-"), pmod(id, lit(5)).cast("string")).as(Inputs.FUNCTION_ID),
                timestamp_seconds(lit(start).plus(pmod(xxhash64(id, lit(seed), lit(8)), lit(seconds)))).as(Inputs.INVOKED_AT));
        writeEvents(out.resolve(Inputs.FUNCTION_INVOCATIONS), invocations, Inputs.INVOKED_AT);

        spark.range(Math.max(1, messages / 200)).select(
                        concat(lit("cb-" + seed + "-"), id.cast("string")).as(Inputs.SESSION_ID),
                        site.as(Inputs.SITE_ID),
                        timestamp_seconds(lit(start).plus(pmod(xxhash64(id, lit(seed), lit(9)), lit(seconds)))).as(Inputs.STARTED_AT),
                        pmod(id, lit(3)).notEqual(0).as(Inputs.INTERACTIVE))
                .coalesce(1).write().mode(SaveMode.Overwrite).parquet(out.resolve(Inputs.COBROWSE_SESSIONS).toString());
    }

    /** A number in [0, 1) from the row number, the seed and a salt. */
    private static Column uniform(Column id, long seed, int salt) {
        return pmod(xxhash64(id, lit(seed), lit(salt)), lit(1_000_000L)).divide(1_000_000.0);
    }

    private void writeSites(Path out, int sites) {
        List<Row> zones = new ArrayList<>();
        List<Row> plans = new ArrayList<>();
        for (int i = 0; i < sites; i++) {
            zones.add(RowFactory.create("site-" + i, ZONES.get(i % ZONES.size()), null));
            plans.add(RowFactory.create("site-" + i, "starter", null, null, i % 3 == 0));
        }
        spark.createDataFrame(zones, ReferenceTable.SITES.schema()).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(out.resolve(ReferenceTable.SITES.table()).toString());
        spark.createDataFrame(plans, ReferenceTable.SITE_PLANS.schema()).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(out.resolve(ReferenceTable.SITE_PLANS.table()).toString());
    }

    private static void writeEvents(Path dir, Dataset<Row> rows, String timeColumn) {
        rows.withColumn(Inputs.EVENT_DATE, to_date(col(timeColumn)))
                .repartition(col(Inputs.EVENT_DATE))
                .write().mode(SaveMode.Overwrite).partitionBy(Inputs.EVENT_DATE).parquet(dir.toString());
    }
}
