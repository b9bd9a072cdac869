package com.darbilling.job;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** What a run reports of this JVM's memory. */
public final class JvmMemory {
    private JvmMemory() {
    }

    /** The highest heap use since the JVM started, in MiB: the sum of the heap pools' peaks (an upper bound). */
    public static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }

    /** The largest heap this JVM may use (-Xmx, or the JVM's default: a quarter of the RAM), in MiB. */
    public static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }
}
