package com.darbilling.storage;

/**
 * A run's warehouse lock is no longer its own (another run took it over while this one was paused
 * past the staleness, or the lock could not be confirmed): the run stops before its next commit.
 */
public final class LockLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LockLost(String oneLine) {
        super(oneLine);
    }
}
