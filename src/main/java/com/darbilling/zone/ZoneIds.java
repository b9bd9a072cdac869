package com.darbilling.zone;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Which zone ids a site may use. Three-letter ids such as EST or PST are ambiguous (SPARK-31232)
 * and Java and Spark resolve some of them differently, so only area/city region ids
 * ({@code America/New_York}), UTC offsets ({@code +05:45}) and UTC itself are accepted.
 */
public final class ZoneIds {
    private static final Set<String> UTC_NAMES = Set.of("UTC", "Z");

    private ZoneIds() {
    }

    public static boolean isAcceptable(String zoneId) {
        if (zoneId == null || zoneId.isBlank() || !zoneId.equals(zoneId.trim())) {
            return false;
        }
        if (UTC_NAMES.contains(zoneId)) {
            return true;
        }
        try {
            ZoneId zone = ZoneId.of(zoneId);
            return zone instanceof ZoneOffset || (zoneId.contains("/") && zone.getId().equals(zoneId));
        } catch (DateTimeException e) {
            return false;
        }
    }
}
