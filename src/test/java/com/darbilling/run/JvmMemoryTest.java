package com.darbilling.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The peak heap a run reports sees an allocation made between two reads, with no sampling thread. */
class JvmMemoryTest {
    private static final int ARRAY_MB = 96;

    @Test
    void thePeakRisesByAtLeastALargeArrayAllocatedSinceTheStart() {
        System.gc(); // garbage collected now cannot make the heap shrink under the array below
        JvmMemory.startSampling();
        long before = JvmMemory.peakHeapMb();

        byte[] array = new byte[ARRAY_MB * 1024 * 1024];
        long after = JvmMemory.peakHeapMb();

        assertTrue(array.length > 0);
        assertTrue(after - before >= ARRAY_MB, "peak " + before + " MB before, " + after + " MB after a " + ARRAY_MB + " MB array");
        assertTrue(after <= JvmMemory.maxHeapMb(), after + " MB of " + JvmMemory.maxHeapMb());
    }

    @Test
    void anArrayCollectedBeforeThePeakIsReadStillCounts() {
        System.gc();
        JvmMemory.startSampling();
        long before = JvmMemory.peakHeapMb();

        allocateAndDrop();
        System.gc(); // the JVM records the pools' peaks as a collection starts
        long after = JvmMemory.peakHeapMb();

        assertTrue(after - before >= ARRAY_MB, "peak " + before + " MB before, " + after + " MB after a collected " + ARRAY_MB + " MB array");
    }

    private static void allocateAndDrop() {
        byte[] garbage = new byte[ARRAY_MB * 1024 * 1024];
        assertTrue(garbage.length > 0);
    }
}
