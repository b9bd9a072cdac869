package com.darbilling.storage;

import io.delta.storage.CloseableIterator;
import io.delta.storage.HDFSLogStore;
import io.delta.storage.LogStore;
import io.delta.storage.S3SingleDriverLogStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Delta's log store for the warehouse's schemes (file, hdfs, s3a; set as
 * {@code spark.delta.logStore.<scheme>.impl} in spark-defaults.conf) with the fence of the
 * one-writer lock: right before a commit file of a table under a warehouse whose lock this JVM holds
 * is written, the lock is confirmed (the store read again); a run that lost it stops there with
 * {@link LockLost}, its commit not made. Everything else is Delta's own log store for the scheme,
 * unchanged: {@link HDFSLogStore} on a local disk and HDFS (a rename that does not overwrite),
 * {@link S3SingleDriverLogStore} on S3.
 */
public final class FencedLogStore extends LogStore {
    /** The schemes this log store is set for in spark-defaults.conf. */
    public static final Set<String> SCHEMES = WarehouseLock.SCHEMES;
    private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
    /** Qualified warehouse path -> the check of the lock this JVM holds on it. */
    private static final Map<String, Runnable> FENCES = new ConcurrentHashMap<>();

    private final LogStore local;
    private final LogStore s3;

    public FencedLogStore(Configuration hadoop) {
        super(hadoop);
        this.local = new HDFSLogStore(hadoop);
        this.s3 = new S3SingleDriverLogStore(hadoop);
    }

    /** From now on each commit under {@code warehouse} (qualified) first runs {@code check}. */
    static void fence(String warehouse, Runnable check) {
        FENCES.put(warehouse, check);
    }

    /** No more checks for {@code warehouse}, unless another lock's check replaced this one. */
    static void unfence(String warehouse, Runnable check) {
        FENCES.remove(warehouse, check);
    }

    /** Runs the check of the warehouse {@code file} is under, when its lock is held in this JVM. */
    static void beforeCommit(Path file) {
        String path = file.toString();
        FENCES.forEach((warehouse, check) -> {
            if (path.startsWith(warehouse + "/")) {
                check.run();
            }
        });
    }

    private LogStore of(Path path) {
        String scheme = path.toUri().getScheme();
        return scheme != null && scheme.startsWith("s3") ? s3 : local;
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoop) throws IOException {
        if (!overwrite && COMMIT_FILE.matcher(path.getName()).matches()) {
            beforeCommit(path);
        }
        of(path).write(path, actions, overwrite, hadoop);
    }

    @Override
    public CloseableIterator<String> read(Path path, Configuration hadoop) throws IOException {
        return of(path).read(path, hadoop);
    }

    @Override
    public Iterator<FileStatus> listFrom(Path path, Configuration hadoop) throws IOException {
        return of(path).listFrom(path, hadoop);
    }

    @Override
    public Path resolvePathOnPhysicalStorage(Path path, Configuration hadoop) throws IOException {
        return of(path).resolvePathOnPhysicalStorage(path, hadoop);
    }

    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration hadoop) throws IOException {
        return of(path).isPartialWriteVisible(path, hadoop);
    }
}
