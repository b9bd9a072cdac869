package com.darbilling.contract;

/** runs.status: how a run of the job ended, or RUNNING while it works. */
public enum RunStatus {
    /** Started and not ended yet (or killed: the next run's lock takeover marks it INTERRUPTED). */
    RUNNING,
    /** Everything it read is billed. */
    SUCCEEDED,
    /** A nightly run that set raw files aside (rejected_files) and billed the rest. */
    PARTIAL,
    /** Ended by an error; every table is at its last commit. */
    FAILED,
    /** Stopped without releasing the warehouse lock; found so by the next run. */
    INTERRUPTED
}
