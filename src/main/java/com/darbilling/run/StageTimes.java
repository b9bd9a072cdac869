package com.darbilling.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The stages of one run as they go: a progress line when a stage starts and one when it ends (what
 * it did and how long it took), and the wall-clock time of each for the report and the benchmark.
 */
public final class StageTimes {
    private final Consumer<String> progress;
    private final Map<String, Long> laps = new LinkedHashMap<>();
    private String stage;
    private long startedAt;

    /** @param progress where the progress lines go (the command's output) */
    public StageTimes(Consumer<String> progress) {
        this.progress = progress;
    }

    public void start(String name) {
        stage = name;
        startedAt = System.nanoTime();
        progress.accept("  " + name + " ...");
    }

    /** Ends the current stage; {@code outcome} says what it did, e.g. "3,157 rows read". */
    public void end(String outcome) {
        long millis = (System.nanoTime() - startedAt) / 1_000_000;
        laps.put(stage, millis);
        progress.accept(String.format(Locale.ROOT, "  %s: %s (%.1f s)", stage, outcome, millis / 1000.0));
    }

    /** Milliseconds per stage, in order. */
    public Map<String, Long> laps() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(laps));
    }

    /** A count with thousands separators, whatever the machine's locale. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
