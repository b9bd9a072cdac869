package com.darbilling.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * What a run reports of this JVM's memory, from the peaks the JVM keeps for each heap pool: it
 * records them before and after every collection and whenever they are read, so no allocation
 * between two samples goes unseen.
 */
public final class JvmMemory {
    private static final long MB = 1024 * 1024;

    private JvmMemory() {
    }

    /** Starts the measure of a run: the heap pools' peaks restart from what is in use now. The CLI calls it first thing. */
    public static void startSampling() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /**
     * The most heap in use at once since {@link #startSampling()} (or JVM start), in MiB: live objects
     * plus garbage not yet collected. The pools peak at different moments (eden just before a
     * collection, the old generation after promotions), so the sum of their peaks is an upper bound
     * of the heap's peak; the heap's maximum is another, and the smaller of the two is reported.
     */
    public static long peakHeapMb() {
        long sumOfPeaks = heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return Math.min(sumOfPeaks, Runtime.getRuntime().maxMemory()) / MB;
    }

    /** The largest heap this JVM may use (-Xmx, or the JVM's default: a quarter of the RAM), in MiB. */
    public static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() / MB;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isValid())
                .toList();
    }
}
