package com.darbilling.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall-clock time of the stages of one month's run, for the report and the benchmark. */
public final class StageTimes {
    private final Map<String, Long> laps = new LinkedHashMap<>();
    private long last = System.nanoTime();

    public void lap(String stage) {
        long now = System.nanoTime();
        laps.put(stage, (now - last) / 1_000_000);
        last = now;
    }

    public Map<String, Long> laps() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(laps));
    }
}
