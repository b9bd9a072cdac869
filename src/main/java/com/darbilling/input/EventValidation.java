package com.darbilling.input;

import static com.darbilling.contract.Columns.BILLING_MONTH;
import static com.darbilling.contract.Columns.LOCAL_DATE;
import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Channel;
import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.contract.QuarantineReason;
import com.darbilling.contract.SenderRole;
import com.darbilling.zone.LocalDates;
import com.darbilling.zone.SiteZones;
import com.darbilling.zone.ZoneInterval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Classifies each event row: the reason it is quarantined (null when accepted), its local date and
 * billing month, and the month whose run accounts for it.
 */
public final class EventValidation {
    public static final String ZONE_ID = "zone_id";
    public static final String QUARANTINE_REASON = "quarantine_reason";
    /**
     * The month whose run reports the row: its billing month when accepted; when quarantined, the
     * month of its event_date partition or, for an unpartitioned table, of its UTC instant. Null
     * only for a quarantined unpartitioned row without an instant: every month's run reports it.
     */
    public static final String SCOPE_MONTH = "scope_month";

    /** Columns of the zone interval table that {@link #classify} expects, in this order. */
    public static final List<String> ZONE_INTERVAL_COLUMNS = List.of(Columns.SITE_ID, "zone_id", "valid", "from", "to");

    /** Earlier instants are a broken clock, not usage. */
    public static final Instant EARLIEST_PLAUSIBLE = Instant.parse("2000-01-01T00:00:00Z");
    /**
     * How far past the run's as-of instant an event may lie and still count: clocks of the
     * producers that run a little ahead, and a cutoff at the start of the next UTC month still
     * covering the last local day of the zones west of UTC.
     */
    public static final Duration AS_OF_MARGIN = Duration.ofDays(1);

    private static final String ZONE_SITE = "_zone_site_id";
    private static final String ZONE_VALID = "_zone_valid";
    private static final String ZONE_FROM = "_zone_from";
    private static final String ZONE_TO = "_zone_to";

    private EventValidation() {
    }

    /**
     * @param zoneIntervals the table of {@link #zoneIntervalTable}
     * @param validZoneIds  the distinct acceptable zone ids among them
     * @param asOf          the run's cutoff: instants more than {@link #AS_OF_MARGIN} after it are
     *                      {@code TIMESTAMP_OUT_OF_RANGE}. An explicit parameter, never the wall clock,
     *                      so the same inputs give the same result whenever they are run.
     */
    public static Dataset<Row> classify(Dataset<Row> events, EventSource source, Dataset<Row> zoneIntervals,
                                        List<String> validZoneIds, Instant asOf) {
        Column instant = col(source.timeColumn());
        Dataset<Row> zones = zoneIntervals.toDF(ZONE_SITE, ZONE_ID, ZONE_VALID, ZONE_FROM, ZONE_TO);
        Column inForce = col(Inputs.SITE_ID).equalTo(col(ZONE_SITE))
                .and(col(ZONE_FROM).isNull().or(instant.geq(col(ZONE_FROM))))
                .and(col(ZONE_TO).isNull().or(instant.lt(col(ZONE_TO))));
        Dataset<Row> withZone = events.join(broadcast(zones), inForce, "left");

        Column reason = reasonColumn(source, asOf);
        Column localDate = LocalDates.localDate(instant, col(ZONE_ID), validZoneIds);
        Column accepted = col(QUARANTINE_REASON).isNull();
        Column quarantineScope = source.partitionedByEventDate()
                ? LocalDates.billingMonth(col(Inputs.EVENT_DATE))
                : date_format(instant, "yyyy-MM");
        return withZone
                .withColumn(QUARANTINE_REASON, reason)
                .withColumn(LOCAL_DATE, when(accepted, localDate))
                .withColumn(BILLING_MONTH, LocalDates.billingMonth(col(LOCAL_DATE)))
                .withColumn(SCOPE_MONTH, when(accepted, col(BILLING_MONTH)).otherwise(quarantineScope))
                .withColumn(QUARANTINE_REASON, EVALUATE_ONCE.apply(col(QUARANTINE_REASON)))
                .drop(ZONE_SITE, ZONE_VALID, ZONE_FROM, ZONE_TO);
    }

    /**
     * The columns of classified rows ({@link #classify}, then {@link Accounting#withScope}) that a run
     * reads after classifying, for one copy kept on local disk and read by every later step
     * (accounting, quarantine rows, DARs, platform users) instead of each reading and classifying the
     * Parquet again. Messages keep what those steps read; a column only a quarantine record reads
     * (channel, event_date, the file, a CONSUMER's sender_id: the end user's id) is null on accepted
     * rows, most of them. The other inputs are small and keep every column.
     */
    public static Dataset<Row> forReuse(Dataset<Row> scoped, EventSource source) {
        if (source != EventSource.MESSAGES) {
            return scoped;
        }
        Column quarantined = col(QUARANTINE_REASON).isNotNull();
        Column platformUser = col(Inputs.SENDER_ROLE).isin(SenderRole.PLATFORM_USERS.toArray());
        return scoped.select(
                col(Accounting.IN_SCOPE), col(QUARANTINE_REASON), col(SCOPE_MONTH),
                col(Inputs.MESSAGE_ID), col(Inputs.SITE_ID), col(Inputs.CONSUMER_ID), col(Inputs.SENDER_ROLE),
                when(quarantined.or(platformUser), col(Inputs.SENDER_ID)).as(Inputs.SENDER_ID),
                col(Inputs.SENT_AT), col(LOCAL_DATE), col(BILLING_MONTH),
                when(quarantined, col(Inputs.CHANNEL)).as(Inputs.CHANNEL),
                when(quarantined, col(Inputs.EVENT_DATE)).as(Inputs.EVENT_DATE),
                when(quarantined, col(Columns.INPUT_FILE)).as(Columns.INPUT_FILE));
    }

    /**
     * An identity that Spark must treat as non-deterministic. Without it the optimizer pushes every
     * later filter (scope, accepted, sender role) below these projections and copies the reason and
     * local-date expressions into it, so each row computes them several times (measured 3x slower).
     */
    private static final UserDefinedFunction EVALUATE_ONCE =
            udf((UDF1<String, String>) reason -> reason, DataTypes.StringType).asNondeterministic().withName("evaluate_once");

    /** The zone intervals as the small table that {@link #classify} joins (broadcast) on. */
    public static Dataset<Row> zoneIntervalTable(SparkSession spark, SiteZones zones) {
        StructType schema = new StructType()
                .add(ZONE_INTERVAL_COLUMNS.get(0), DataTypes.StringType)
                .add(ZONE_INTERVAL_COLUMNS.get(1), DataTypes.StringType)
                .add(ZONE_INTERVAL_COLUMNS.get(2), DataTypes.BooleanType)
                .add(ZONE_INTERVAL_COLUMNS.get(3), DataTypes.TimestampType)
                .add(ZONE_INTERVAL_COLUMNS.get(4), DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (ZoneInterval z : zones.intervals()) {
            rows.add(RowFactory.create(z.siteId(), z.zoneId(), z.valid(), z.from(), z.to()));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** The first reason that applies, in the order of {@link QuarantineReason}; null when none does. */
    static Column reasonColumn(EventSource source, Instant asOf) {
        Map<QuarantineReason, Column> checks = new LinkedHashMap<>();
        checks.put(QuarantineReason.MISSING_REQUIRED_FIELD, anyMissing(source));
        checks.put(QuarantineReason.UNKNOWN_SITE, col(ZONE_SITE).isNull());
        checks.put(QuarantineReason.INVALID_TIME_ZONE, not(col(ZONE_VALID)));
        if (source == EventSource.MESSAGES) {
            checks.put(QuarantineReason.UNKNOWN_CHANNEL, not(col(Inputs.CHANNEL).isin(Channel.names().toArray())));
            checks.put(QuarantineReason.UNKNOWN_SENDER_ROLE, not(col(Inputs.SENDER_ROLE).isin(SenderRole.names().toArray())));
        }
        Column instant = col(source.timeColumn());
        checks.put(QuarantineReason.TIMESTAMP_OUT_OF_RANGE, instant.lt(lit(EARLIEST_PLAUSIBLE)).or(afterCutoff(instant, asOf)));
        if (source.partitionedByEventDate()) {
            checks.put(QuarantineReason.PARTITION_MISMATCH,
                    not(to_date(col(source.timeColumn())).equalTo(col(Inputs.EVENT_DATE))));
        }
        Column reason = null;
        for (var check : checks.entrySet()) {
            Column applies = coalesce(check.getValue(), lit(false));
            reason = reason == null
                    ? when(applies, lit(check.getKey().name()))
                    : reason.when(applies, lit(check.getKey().name()));
        }
        return reason;
    }

    /** True where {@code instant} lies more than {@link #AS_OF_MARGIN} after the run's as-of instant. */
    public static Column afterCutoff(Column instant, Instant asOf) {
        return instant.gt(lit(asOf.plus(AS_OF_MARGIN)));
    }

    /**
     * A required column null, or blank when it is a string. An AGENT or BOT message needs its
     * sender_id too: it is the platform user counted by R7.
     */
    private static Column anyMissing(EventSource source) {
        Column missing = lit(false);
        for (String column : source.requiredColumns()) {
            Column value = col(column);
            Column blank = source.typeOf(column).equals(DataTypes.StringType)
                    ? value.isNull().or(trim(value).equalTo(""))
                    : value.isNull();
            missing = missing.or(blank);
        }
        if (source == EventSource.MESSAGES) {
            Column sender = col(Inputs.SENDER_ID);
            missing = missing.or(col(Inputs.SENDER_ROLE).isin(SenderRole.PLATFORM_USERS.toArray())
                    .and(sender.isNull().or(trim(sender).equalTo(""))));
        }
        return missing;
    }
}
