package com.darbilling.cli;

/** A command line that cannot run: exit code 2, one line on stderr, nothing written. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
