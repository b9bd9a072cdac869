package com.darbilling.statement;

/** A statement that cannot be made from what was asked (month without data, unknown site, no tables): exit code 2. */
public final class StatementException extends RuntimeException {
    public StatementException(String message) {
        super(message);
    }
}
