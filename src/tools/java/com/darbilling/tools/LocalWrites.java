package com.darbilling.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/** Writes of generated and sample input roots: plain Parquet folders, without Hadoop's .crc files beside them. */
final class LocalWrites {
    private LocalWrites() {
    }

    /**
     * Runs {@code writes} with the local file system writing no checksum files: they are noise in a committed
     * sample and in an input root whose files are copied to let them arrive. Spark's local-mode tasks share the
     * driver's cached file system, so the setting reaches them; it is restored afterwards.
     */
    static void withoutChecksums(SparkSession spark, Runnable writes) {
        FileSystem local;
        try {
            local = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        local.setWriteChecksum(false);
        try {
            writes.run();
        } finally {
            local.setWriteChecksum(true);
        }
    }
}
