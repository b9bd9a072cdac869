package com.darbilling.testing;

import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import com.darbilling.input.EventValidation;
import com.darbilling.zone.SiteZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Tiny hand-written input rows. */
public final class Fixtures {
    /** The cutoff of these tests' classifications: later than every fixture instant but the ones meant to be in the future. */
    public static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");

    private Fixtures() {
    }

    /** A message row; event_date is the UTC date of sent_at unless given. */
    public static Row message(String id, String site, String consumer, String role, String sender, String channel, String sentAt) {
        Instant at = sentAt == null ? null : Instant.parse(sentAt);
        LocalDate eventDate = at == null ? LocalDate.of(2026, 10, 10) : LocalDate.ofInstant(at, ZoneOffset.UTC);
        return RowFactory.create(id, site, "conv-" + id, consumer, role, sender, channel, at, eventDate);
    }

    public static Row consumer(String id, String site, String consumer, String sentAt) {
        return message(id, site, consumer, "CONSUMER", null, "WEB", sentAt);
    }

    public static Dataset<Row> messages(Row... rows) {
        StructType schema = EventSource.MESSAGES.schema().add(Inputs.EVENT_DATE, DataTypes.DateType);
        return TestSpark.session().createDataFrame(List.of(rows), schema);
    }

    public static SiteZones zones(SiteZones.ZoneRow... rows) {
        return SiteZones.of(List.of(rows));
    }

    public static SiteZones.ZoneRow zone(String site, String zone, String from) {
        return new SiteZones.ZoneRow(site, zone, from == null ? null : Instant.parse(from));
    }

    public static Dataset<Row> classifyMessages(SiteZones zones, Row... rows) {
        return EventValidation.classify(messages(rows), EventSource.MESSAGES, EventValidation.zoneIntervalTable(TestSpark.session(), zones), zones.validZoneIds(),
                AS_OF);
    }
}
