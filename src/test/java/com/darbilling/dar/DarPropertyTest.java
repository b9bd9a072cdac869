package com.darbilling.dar;

import static com.darbilling.testing.Fixtures.*;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.Columns;
import com.darbilling.input.EventValidation;
import com.darbilling.zone.SiteZones;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * DAR counts per site and local date from Spark against a plain java.time reference, on random
 * inputs: many zones (DST both hemispheres, :30 and :45 offsets, 30-minute DST, +14 and -11),
 * instants clustered around local midnights and DST transitions, zone changes, SYSTEM messages and
 * repeated deliveries.
 */
class DarPropertyTest {
    private static final int SEEDS = 200;
    private static final List<String> ZONES = List.of("America/New_York", "Europe/London", "Europe/Dublin", "Asia/Kolkata",
            "Asia/Kathmandu", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "America/Santiago",
            "Asia/Tehran", "Africa/Casablanca", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Los_Angeles", "Asia/Tokyo",
            "Europe/Berlin", "America/Sao_Paulo", "UTC", "+05:45", "-03:30");
    private static final List<String> ROLES = List.of("CONSUMER", "CONSUMER", "AGENT", "BOT", "SYSTEM");
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-30T00:00:00Z");

    private record Message(String id, String site, String consumer, String role, Instant sentAt) {
    }

    private record ZoneRow(String site, String zone, Instant from) {
    }

    @Test
    void sparkAgreesWithJavaTimeOnEverySeed() {
        List<Message> messages = new ArrayList<>();
        List<ZoneRow> zoneRows = new ArrayList<>();
        for (int seed = 0; seed < SEEDS; seed++) {
            generate(new Random(seed), "seed" + seed + "-", messages, zoneRows);
        }
        Map<String, Long> expected = reference(messages, zoneRows);

        SiteZones zones = SiteZones.of(zoneRows.stream().map(z -> new SiteZones.ZoneRow(z.site(), z.zone(), z.from())).toList());
        List<Row> rows = new ArrayList<>();
        for (Message m : messages) {
            rows.add(message(m.id(), m.site(), m.consumer(), m.role(), m.role().equals("SYSTEM") ? null : "sender-1", "WEB",
                    m.sentAt().toString()));
        }
        Map<String, Long> actual = new TreeMap<>();
        // As the job does: messages are not de-duplicated row by row, DARs are distinct keys.
        Dars.fromMessages(classifyMessages(zones, rows.toArray(Row[]::new)).filter(col(EventValidation.QUARANTINE_REASON).isNull()))
                .groupBy("site_id", Columns.LOCAL_DATE).count().collectAsList()
                .forEach(r -> actual.put(r.getString(0) + " " + r.get(1), r.getLong(2)));

        assertTrue(expected.size() > SEEDS, "the generator should produce DARs on many site-days, got " + expected.size());
        assertEquals(expected, actual);
    }

    /**
     * Plain java.time: latest zone row at or before the instant, then the local date there. Every
     * copy of a repeated delivery counts (README, duplicates): the set of DARs keeps each once.
     */
    private static Map<String, Long> reference(List<Message> messages, List<ZoneRow> zoneRows) {
        Set<String> dars = new HashSet<>();
        for (Message m : messages) {
            if (m.role().equals("SYSTEM")) {
                continue;
            }
            zoneRows.stream()
                    .filter(z -> z.site().equals(m.site()) && (z.from() == null || !z.from().isAfter(m.sentAt())))
                    .max(Comparator.comparing(ZoneRow::from, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .ifPresent(z -> dars.add(m.site() + " " + LocalDate.ofInstant(m.sentAt(), ZoneId.of(z.zone())) + " " + m.consumer()));
        }
        Map<String, Long> perSiteDay = new TreeMap<>();
        for (String dar : dars) {
            String[] parts = dar.split(" ");
            perSiteDay.merge(parts[0] + " " + parts[1], 1L, Long::sum);
        }
        return perSiteDay;
    }

    private static void generate(Random random, String prefix, List<Message> messages, List<ZoneRow> zoneRows) {
        int sites = 1 + random.nextInt(3);
        for (int s = 0; s < sites; s++) {
            String site = prefix + "site" + s;
            // First row since always, or from a random instant (earlier messages are then UNKNOWN_SITE).
            zoneRows.add(new ZoneRow(site, pick(random, ZONES), random.nextInt(5) == 0 ? between(random, FROM, TO) : null));
            if (random.nextBoolean()) {
                zoneRows.add(new ZoneRow(site, pick(random, ZONES), between(random, FROM, TO)));
            }
        }
        int count = 20 + random.nextInt(40);
        for (int i = 0; i < count; i++) {
            String site = prefix + "site" + random.nextInt(sites);
            Instant at = interestingInstant(random);
            String id = prefix + "m" + i;
            Message m = new Message(id, site, "c" + random.nextInt(4), pick(random, ROLES), at);
            messages.add(m);
            if (random.nextInt(10) == 0) {
                messages.add(m); // repeated delivery
            }
        }
    }

    /** Near a local midnight or a DST transition of a random zone, a few seconds to hours away. */
    private static Instant interestingInstant(Random random) {
        ZoneId zone = ZoneId.of(pick(random, ZONES));
        Instant anchor;
        if (random.nextBoolean()) {
            LocalDate day = LocalDate.ofInstant(between(random, FROM, TO), ZoneOffset.UTC);
            anchor = day.atStartOfDay(zone).toInstant();
        } else {
            ZoneOffsetTransition next = zone.getRules().nextTransition(between(random, FROM, TO));
            anchor = next == null ? between(random, FROM, TO) : next.getInstant();
        }
        long[] offsets = {-1, 0, 1, -60, 59, -3599, 3600, -86399, 5400};
        Instant at = anchor.plus(Duration.ofSeconds(offsets[random.nextInt(offsets.length)]));
        return at.isBefore(FROM) || at.isAfter(TO) ? FROM.plus(Duration.ofHours(random.nextInt(1000))) : at;
    }

    private static Instant between(Random random, Instant from, Instant to) {
        return from.plusSeconds((long) (random.nextDouble() * Duration.between(from, to).getSeconds()));
    }

    private static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
