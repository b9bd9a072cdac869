package com.darbilling.job;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall-clock time of the stages of one month's run, for the report and the benchmark. */
final class StageTimes {
    private final Map<String, Long> laps = new LinkedHashMap<>();
    private long last = System.nanoTime();

    void lap(String stage) {
        long now = System.nanoTime();
        laps.put(stage, (now - last) / 1_000_000);
        last = now;
    }

    Map<String, Long> laps() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(laps));
    }
}
