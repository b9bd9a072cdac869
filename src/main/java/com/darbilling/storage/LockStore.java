package com.darbilling.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The lock's folder on one store: one small file per generation of the lock, named by its number,
 * each created only if absent with the strongest guarantee the store gives (a hard link on a local
 * disk, a rename that does not overwrite in HDFS, a conditional PUT on S3). {@link WarehouseLock}
 * builds the lock on these few operations, the same way on every store.
 */
interface LockStore {
    /** A generation file as listed: its number and a version that changes with every heartbeat (a time or an ETag). */
    record Entry(long generation, String version) {
    }

    /** The generation files there are, in no order; empty when there are none. */
    List<Entry> list() throws IOException;

    /** Creates the file of {@code generation} holding {@code text}, whole, only if it does not exist; false when it does. */
    boolean create(long generation, String text) throws IOException;

    /** The text of a generation file; empty when it is gone. */
    Optional<String> read(long generation) throws IOException;

    /**
     * The heartbeat: changes the version of a generation file this process created ({@code text} is
     * its new content where the version is the content's); false when it is gone or was replaced.
     */
    boolean touch(long generation, String text) throws IOException;

    /** Deletes a generation file; nothing when it is gone. */
    void delete(long generation) throws IOException;

    /** Where the lock is, for messages. */
    String where();

    /** A generation's file name: its number in 20 digits, so names sort as numbers. */
    static String name(long generation) {
        return String.format(java.util.Locale.ROOT, "%020d", generation);
    }

    /** The generation a file name holds; empty for any other name (a temporary file of a create). */
    static Optional<Long> generation(String name) {
        return name.length() == 20 && name.chars().allMatch(Character::isDigit) ? Optional.of(Long.parseLong(name)) : Optional.empty();
    }
}
