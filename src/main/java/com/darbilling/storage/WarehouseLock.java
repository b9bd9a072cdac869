package com.darbilling.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One writer per warehouse. The lock is a file created atomically (O_EXCL) and touched every few
 * seconds while its run lives; a second run fails fast naming the run that holds it. A lock whose
 * heartbeat stopped (its run was killed) is stale: the next run takes it over and finishes the work.
 */
public final class WarehouseLock implements AutoCloseable {
    public static final String FILE = "_billing_state/LOCK";
    /** How long a lock may go untouched before it counts as left by a killed run (system property billing.lock.staleSeconds). */
    static Duration staleAfter() {
        return Duration.ofSeconds(Long.getLong("billing.lock.staleSeconds", 45));
    }

    private final Path file;
    private final ScheduledExecutorService heartbeat;
    private final String previousHolder;

    private WarehouseLock(Path file, String previousHolder) {
        this.file = file;
        this.previousHolder = previousHolder;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warehouse-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long beat = Math.max(200, staleAfter().toMillis() / 9);
        heartbeat.scheduleAtFixedRate(this::touch, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock of {@code warehouse} for run {@code runId}, or fails naming the run that holds it. */
    public static WarehouseLock acquire(Path warehouse, String runId, String command) {
        Path file = warehouse.resolve(FILE);
        String holder = "run " + runId + " (" + command + ") pid " + ManagementFactory.getRuntimeMXBean().getPid() + " since "
                + Instant.now();
        String previous = null;
        try {
            Files.createDirectories(file.getParent());
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Files.writeString(Files.createFile(file), holder, StandardCharsets.UTF_8);
                    return new WarehouseLock(file, previous);
                } catch (FileAlreadyExistsException taken) {
                    Optional<String> stale = staleHolder(file);
                    if (stale.isEmpty()) {
                        throw new IllegalStateException("another run is writing this warehouse: " + read(file)
                                + " (lock " + file + "); wait for it to finish");
                    }
                    previous = stale.get();
                    Files.deleteIfExists(file);
                }
            }
            throw new IllegalStateException("could not take the lock " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The holder of a lock whose heartbeat stopped, if it did. */
    private static Optional<String> staleHolder(Path file) throws IOException {
        try {
            Instant touched = Files.getLastModifiedTime(file).toInstant();
            return touched.plus(staleAfter()).isBefore(Instant.now()) ? Optional.of(read(file)) : Optional.empty();
        } catch (NoSuchFileException gone) {
            return Optional.of("(released)");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(unreadable lock)";
        }
    }

    /** The run whose stale lock this run took over (it was killed), if any. */
    public Optional<String> previousHolder() {
        return Optional.ofNullable(previousHolder);
    }

    private void touch() {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // The next beat tries again; a lock left untouched for staleAfter() is taken over.
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
