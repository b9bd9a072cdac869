package com.darbilling.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * One writer per warehouse, fenced. The lock is a folder of generation files ({@link LockStore}):
 * a run holds generation n when it created file n (only one creator can) and no later file exists.
 * It proves itself alive by changing its file's version every few seconds (the heartbeat). A second
 * run that finds the lock held watches that version on its own clock: if it changes, the holder
 * lives and the second run is refused naming it; if it stays unchanged for {@link #staleAfter} (its
 * run was killed, or is paused), the second run takes generation n+1, so two takers cannot both win
 * and no two machines' clocks are compared. Release writes a free generation n+1.
 *
 * <p>Fencing: every Delta commit under the warehouse first confirms the lock ({@link #checkHeld},
 * through {@link FencedLogStore}), and so does the heartbeat: a run whose lock was taken over, or
 * whose heartbeat has not reached the store for half the staleness (it was paused, so a taker may
 * be about to act), stops with {@link LockLost} before its next commit and never removes a lock
 * that is not its own.
 */
public final class WarehouseLock implements AutoCloseable {
    /** The lock's folder under the warehouse. */
    public static final String DIR = "_billing_state/writer_lock";
    /** The single lock file of dar-billing before generations; a run of such a version may still hold it. */
    static final String EARLIER_FILE = "_billing_state/LOCK";
    /**
     * {@code --conf spark.billing.warehouseLock=off} runs without the lock, for a store that has no
     * create-if-absent when a scheduler guarantees one writer; on by default.
     */
    public static final String SETTING = "spark.billing.warehouseLock";
    /** The schemes whose stores can make a lock: local disk, HDFS and S3 (through S3A). */
    public static final Set<String> SCHEMES = Set.of(Location.LOCAL, "hdfs", "s3a");
    private static final String TOKEN = "token ";
    private static final String FREE = "free: released by ";

    /** How long a lock's heartbeat must stay unchanged before another run takes it over (system property billing.lock.staleSeconds). */
    static Duration staleAfter() {
        return Duration.ofSeconds(Long.getLong("billing.lock.staleSeconds", 45));
    }

    /** The heartbeat's period: a fifteenth of the staleness, so a taker sees a live holder beat within a few seconds. */
    private static long beatMillis(Duration stale) {
        return Math.max(100, stale.toMillis() / 15);
    }

    private final LockStore store;
    private final long generation;
    private final String text;
    private final String previousHolder;
    private final Duration stale;
    private final String fenced;
    private final ScheduledExecutorService heartbeat;
    /** The check every commit under the warehouse runs first (one instance: the fence is removed by it). */
    private final Runnable fence = this::checkHeld;
    private volatile long lastBeat = System.nanoTime();
    private volatile String lost;
    /** Tests only: a heartbeat that does not run, as in a process that is stopped. */
    private volatile boolean paused;
    private Runnable whenLost = () -> { };
    private long beats;

    private WarehouseLock(LockStore store, long generation, String text, String previousHolder, String fenced) {
        this.store = store;
        this.generation = generation;
        this.text = text;
        this.previousHolder = previousHolder;
        this.stale = staleAfter();
        this.fenced = fenced;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warehouse-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        if (store != null) {
            long beat = beatMillis(stale);
            heartbeat.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
            FencedLogStore.fence(fenced, fence);
        }
    }

    /** A generation file as read: its entry and its text (the holder's line and token, or the free mark). */
    private record Found(LockStore.Entry entry, String text) {
        String holder() {
            return text.lines().findFirst().map(String::strip).filter(l -> !l.isEmpty()).orElse("(unreadable lock)");
        }

        boolean free() {
            return text.startsWith(FREE);
        }

        Optional<String> token() {
            return text.lines().filter(l -> l.startsWith(TOKEN)).findFirst();
        }

        long generation() {
            return entry.generation();
        }
    }

    /**
     * Takes the lock of {@code warehouse} for run {@code runId}, or fails naming the run that holds
     * it. A held lock is watched until its heartbeat changes (refused, within a few seconds) or stays
     * unchanged for the staleness (taken over).
     */
    public static WarehouseLock acquire(Location warehouse, Configuration hadoop, String runId, String command) {
        LockStore store = storeFor(warehouse, hadoop);
        Duration stale = staleAfter();
        String holder = "run " + runId + " (" + command + ") pid " + ManagementFactory.getRuntimeMXBean().getPid() + " since "
                + Instant.now();
        String text = holder + "\n" + TOKEN + UUID.randomUUID() + "\n";
        try {
            refuseEarlierLock(warehouse, hadoop);
            String fenced = Stores.fileSystem(warehouse, hadoop).makeQualified(warehouse.path()).toString();
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<Found> found = latest(store);
                long next = found.map(f -> f.generation() + 1).orElse(1L);
                String previous = null;
                if (found.isPresent() && !found.get().free()) {
                    Found held = found.get();
                    Optional<LockStore.Entry> changed = changeWithin(store, held.entry(), stale);
                    if (changed.isPresent()) {
                        if (changed.get().generation() == held.generation()) {
                            throw new IllegalStateException("another run is writing this warehouse: " + held.holder() + " (lock "
                                    + store.where() + "); wait for it to finish");
                        }
                        continue; // released or taken over meanwhile: look again
                    }
                    previous = held.holder() + " (lock generation " + held.generation() + ", its heartbeat unchanged for "
                            + stale.toSeconds() + " s)";
                }
                if (store.create(next, text)) {
                    Optional<Found> now = latest(store);
                    if (now.isPresent() && now.get().generation() == next && now.get().text().equals(text)) {
                        removeOlder(store, next);
                        return new WarehouseLock(store, next, text, previous, fenced);
                    }
                    if (now.isPresent() && now.get().generation() > next) {
                        store.delete(next); // the number was an old, removed generation's: a later one holds the lock
                    }
                }
            }
            throw new IllegalStateException("could not take the lock " + store.where() + ": other runs keep taking it");
        } catch (IOException e) {
            throw Stores.failure("cannot take the warehouse lock of", warehouse, e);
        }
    }

    /** The holder of the warehouse's lock as its file names it, when a run holds it (or held it and was killed). */
    public static Optional<String> holder(Location warehouse, Configuration hadoop) {
        try {
            return latest(storeFor(warehouse, hadoop)).filter(f -> !f.free()).map(Found::holder);
        } catch (IOException e) {
            throw Stores.failure("cannot read the warehouse lock of", warehouse, e);
        }
    }

    /**
     * The first change of the lock's latest generation file within {@code stale} of this machine's
     * clock (another version of the same generation: its holder beat; another generation: released
     * or taken over); empty when it stayed as {@code seen}.
     */
    private static Optional<LockStore.Entry> changeWithin(LockStore store, LockStore.Entry seen, Duration stale) throws IOException {
        long deadline = System.nanoTime() + stale.toNanos();
        long poll = Math.max(50, beatMillis(stale) / 2);
        while (System.nanoTime() < deadline) {
            sleep(Math.min(poll, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            Optional<LockStore.Entry> now = top(store);
            if (now.isEmpty()) {
                return Optional.of(new LockStore.Entry(-1, ""));
            }
            if (!now.get().equals(seen)) {
                return now;
            }
        }
        return Optional.empty();
    }

    private static Optional<LockStore.Entry> top(LockStore store) throws IOException {
        return store.list().stream().max(Comparator.comparingLong(LockStore.Entry::generation));
    }

    /** The latest generation file and its text; empty when there is none. */
    private static Optional<Found> latest(LockStore store) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<LockStore.Entry> top = top(store);
            if (top.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> text = store.read(top.get().generation());
            if (text.isPresent()) {
                return Optional.of(new Found(top.get(), text.get()));
            }
            // removed between the listing and the read: a later generation exists, list again
        }
        throw new IOException("the lock " + store.where() + " changes faster than it can be read");
    }

    /** Removes the generation files older than the one before {@code generation}: released or taken over long ago. */
    private static void removeOlder(LockStore store, long generation) {
        try {
            for (LockStore.Entry e : store.list()) {
                if (e.generation() < generation - 1) {
                    store.delete(e.generation());
                }
            }
        } catch (IOException e) {
            // Left for the next run to remove: an old generation file holds nothing.
        }
    }

    private static void refuseEarlierLock(Location warehouse, Configuration hadoop) throws IOException {
        Location earlier = warehouse.resolve(EARLIER_FILE);
        if (Stores.fileSystem(earlier, hadoop).exists(earlier.path())) {
            throw new IllegalStateException("the warehouse holds the lock file of an earlier dar-billing version (" + earlier
                    + "): a run of that version is writing it, or was killed; once no such run is left, delete that file");
        }
    }

    /**
     * The lock of a warehouse on {@code warehouse}'s store; refuses a store that cannot make one,
     * naming the setting that turns the lock off.
     */
    static LockStore storeFor(Location warehouse, Configuration hadoop) {
        checkSupported(warehouse);
        Location dir = warehouse.resolve(DIR);
        if (dir.isLocal()) {
            return new LocalLock(dir.localPath());
        }
        try {
            var fs = Stores.fileSystem(dir, hadoop);
            return warehouse.scheme().equals("s3a") ? S3Lock.of(fs, dir.path()) : new HadoopLock(fs, dir.path());
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
        return new WarehouseLock(null, 0, "", null, "");
    }

    /** The run whose stale lock this run took over (it was killed or stopped), if any. */
    public Optional<String> previousHolder() {
        return Optional.ofNullable(previousHolder);
    }

    /** Why this lock is no longer the run's, once it is not. */
    public Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    /**
     * Confirms the lock is still this run's: the heartbeat reached the store within half the
     * staleness, and no later generation exists (the store read again). Throws {@link LockLost}
     * otherwise, and from then on.
     */
    public void checkHeld() {
        if (store == null) {
            return;
        }
        if (lost == null) {
            long quiet = System.nanoTime() - lastBeat;
            if (quiet > stale.toNanos() / 2) {
                lose("no heartbeat reached the lock for " + TimeUnit.NANOSECONDS.toSeconds(quiet) + " s (the run was paused or"
                        + " starved; after " + stale.toSeconds() + " s another run may take the lock over)");
            } else {
                try {
                    Optional<Found> now = latest(store);
                    if (now.isEmpty() || now.get().generation() != generation) {
                        lose(takenBy(now));
                    }
                } catch (IOException e) {
                    lose("cannot read the lock " + store.where() + " to confirm it: " + StorageException.describe(e));
                }
            }
        }
        if (lost != null) {
            throw new LockLost(lost);
        }
    }

    private String takenBy(Optional<Found> now) {
        return now.map(f -> f.free() ? "another run took it over and released it since (generation " + f.generation() + " is free)"
                        : "generation " + f.generation() + " is held by " + f.holder())
                .orElse("its files were removed");
    }

    private void lose(String why) {
        Runnable then;
        synchronized (this) {
            if (lost != null) {
                return;
            }
            lost = "lost the warehouse lock " + store.where() + " (generation " + generation + "): " + why;
            heartbeat.shutdown();
            then = whenLost;
        }
        then.run();
    }

    /**
     * What to do once the heartbeat or a commit finds the lock lost, besides refusing every later
     * commit: a run cancels its Spark jobs, so it stops at once instead of computing up to its next commit.
     */
    public synchronized void whenLost(Runnable action) {
        whenLost = action;
    }

    /** Tests only: stops (true) or resumes the heartbeat, as SIGSTOP and SIGCONT do to a run's process. */
    void pauseHeartbeat(boolean pause) {
        paused = pause;
    }

    private void beat() {
        if (lost != null || paused) {
            return;
        }
        try {
            if (!store.touch(generation, text + "alive at " + Instant.now() + ", beat " + (++beats) + "\n")) {
                lose("its file was removed or replaced; " + takenBy(latest(store)));
                return;
            }
            Optional<LockStore.Entry> top = top(store);
            if (top.isEmpty() || top.get().generation() != generation) {
                lose(takenBy(latest(store)));
                return;
            }
            lastBeat = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            // The store did not answer: the next beat tries again; commits stop once none got through for half the staleness.
        }
    }

    /** Releases the lock when it is still this run's (a free generation after it); a lost lock is left to its new holder. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (store == null) {
            return;
        }
        FencedLogStore.unfence(fenced, fence);
        if (lost != null) {
            return;
        }
        try {
            Optional<Found> now = latest(store);
            if (now.isPresent() && now.get().generation() == generation && now.get().token().equals(new Found(null, text).token())
                    && store.create(generation + 1, FREE + text.lines().findFirst().orElse("") + "\n")) {
                store.delete(generation);
            }
        } catch (IOException e) {
            throw new StorageException("cannot release the warehouse lock " + store.where() + ": " + StorageException.describe(e), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching the warehouse lock", e);
        }
    }
}
