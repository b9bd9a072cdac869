package com.darbilling.storage;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock object of one store, with the strongest create-if-absent the store gives: an atomic
 * create on a local disk and in HDFS, a conditional PUT on S3.
 */
interface LockStore {
    /** A lock as found: its holder (first line), when its run last proved alive, and its version on the store. */
    record Held(String holder, Instant touched, String version) {
    }

    /** Creates the lock holding {@code holder}; false when a lock exists already. */
    boolean create(String holder) throws IOException;

    /** The lock as it is now; empty when there is none. */
    Optional<Held> current() throws IOException;

    /** Takes over {@code stale} (a killed run's lock); false when another run changed or took it first. */
    boolean replace(Held stale, String holder) throws IOException;

    /** Proves the holding run alive (the heartbeat). */
    void touch() throws IOException;

    void release() throws IOException;

    /** Where the lock is, for messages. */
    String where();
}
