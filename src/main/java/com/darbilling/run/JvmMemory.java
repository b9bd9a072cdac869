package com.darbilling.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/** What a run reports of this JVM's memory: the heap in use, sampled every 50 ms from the first call. */
public final class JvmMemory {
    private static final AtomicLong PEAK = new AtomicLong();
    private static Thread sampler;

    private JvmMemory() {
    }

    /** Starts sampling (once per JVM); the CLI calls it first thing. */
    public static synchronized void startSampling() {
        if (sampler != null) {
            return;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        sampler = new Thread(() -> {
            while (true) {
                PEAK.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * The most heap in use at once since sampling started, in MiB: live objects plus garbage not yet
     * collected, so it approaches the maximum heap whenever the collector lets it grow.
     */
    public static long peakHeapMb() {
        startSampling();
        PEAK.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        return PEAK.get() / (1024 * 1024);
    }

    /** The largest heap this JVM may use (-Xmx, or the JVM's default: a quarter of the RAM), in MiB. */
    public static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }
}
