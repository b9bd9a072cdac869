package com.darbilling.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * One writer per warehouse. The lock is an object created only if absent, with the strongest
 * guarantee the store gives (see {@link #storeFor}), and proved alive every few seconds while its
 * run lives; a second run fails fast naming the run that holds it. A lock whose heartbeat stopped
 * (its run was killed) is stale: the next run takes it over and finishes the work.
 */
public final class WarehouseLock implements AutoCloseable {
    public static final String FILE = "_billing_state/LOCK";
    /**
     * {@code --conf spark.billing.warehouseLock=off} runs without the lock, for a store that has no
     * create-if-absent when a scheduler guarantees one writer; on by default.
     */
    public static final String SETTING = "spark.billing.warehouseLock";
    /** The schemes whose stores can make a lock: local disk, HDFS and S3 (through S3A). */
    public static final Set<String> SCHEMES = Set.of(Location.LOCAL, "hdfs", "s3a");

    /** How long a lock may go untouched before it counts as left by a killed run (system property billing.lock.staleSeconds). */
    static Duration staleAfter() {
        return Duration.ofSeconds(Long.getLong("billing.lock.staleSeconds", 45));
    }

    private final LockStore store;
    private final ScheduledExecutorService heartbeat;
    private final String previousHolder;

    private WarehouseLock(LockStore store, String previousHolder) {
        this.store = store;
        this.previousHolder = previousHolder;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warehouse-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        if (store != null) {
            long beat = Math.max(200, staleAfter().toMillis() / 9);
            heartbeat.scheduleAtFixedRate(this::touch, beat, beat, TimeUnit.MILLISECONDS);
        }
    }

    /** Takes the lock of {@code warehouse} for run {@code runId}, or fails naming the run that holds it. */
    public static WarehouseLock acquire(Location warehouse, Configuration hadoop, String runId, String command) {
        LockStore store = storeFor(warehouse, hadoop);
        String holder = "run " + runId + " (" + command + ") pid " + ManagementFactory.getRuntimeMXBean().getPid() + " since "
                + Instant.now();
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                // Read first: a store that refuses the credentials says so plainly to a read (S3Proxy
                // drops a refused PUT's connection), and a held lock costs no write.
                Optional<LockStore.Held> found = store.current();
                if (found.isEmpty()) {
                    if (store.create(holder)) {
                        return new WarehouseLock(store, null);
                    }
                    continue; // another run created it meanwhile: read it
                }
                if (!found.get().touched().plus(staleAfter()).isBefore(Instant.now())) {
                    throw new IllegalStateException("another run is writing this warehouse: " + found.get().holder()
                            + " (lock " + store.where() + "); wait for it to finish");
                }
                if (store.replace(found.get(), holder)) {
                    return new WarehouseLock(store, found.get().holder());
                }
            }
            throw new IllegalStateException("could not take the lock " + store.where() + ": other runs keep taking it");
        } catch (IOException e) {
            throw Stores.failure("cannot take the warehouse lock of", warehouse, e);
        }
    }

    /**
     * The lock of a warehouse on {@code warehouse}'s store; refuses a store that cannot make one,
     * naming the setting that turns the lock off.
     */
    static LockStore storeFor(Location warehouse, Configuration hadoop) {
        checkSupported(warehouse);
        Location file = warehouse.resolve(FILE);
        if (file.isLocal()) {
            return new LocalLock(file.localPath());
        }
        try {
            var fs = Stores.fileSystem(file, hadoop);
            return warehouse.scheme().equals("s3a") ? S3Lock.of(fs, file.path()) : new HadoopLock(fs, file.path());
        } catch (IOException e) {
            throw Stores.failure("cannot reach", warehouse, e);
        }
    }

    /** Fails unless the lock can be made on {@code warehouse}'s store. */
    public static void checkSupported(Location warehouse) {
        if (!SCHEMES.contains(warehouse.scheme())) {
            throw new IllegalArgumentException("--warehouse " + warehouse + ": the job cannot make its one-writer lock on "
                    + warehouse.scheme() + ":// (no create-if-absent it knows of there); if your scheduler guarantees one run at a time,"
                    + " pass --conf " + SETTING + "=off");
        }
    }

    /** A lock that is not taken: the setting turned it off, the scheduler guarantees one writer. */
    public static WarehouseLock none() {
        return new WarehouseLock(null, null);
    }

    /** The run whose stale lock this run took over (it was killed), if any. */
    public Optional<String> previousHolder() {
        return Optional.ofNullable(previousHolder);
    }

    private void touch() {
        try {
            store.touch();
        } catch (IOException ignored) {
            // The next beat tries again; a lock left untouched for staleAfter() is taken over.
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (store == null) {
            return;
        }
        try {
            store.release();
        } catch (IOException e) {
            throw new StorageException("cannot release the warehouse lock " + store.where() + ": " + StorageException.describe(e), e);
        }
    }
}
