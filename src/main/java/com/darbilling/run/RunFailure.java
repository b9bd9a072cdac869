package com.darbilling.run;

/**
 * A run that failed after it took the lock: its runs row says FAILED with {@link #getMessage()}, the
 * cause in one line; the exception Spark or Delta threw (checked or not) is the cause, for the log.
 */
public final class RunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailure(String oneLine, Throwable cause) {
        super(oneLine, cause);
    }
}
