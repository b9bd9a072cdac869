package com.darbilling.contract;

/** Why a nightly run did not bill a raw file (rejected_files.reason). The file is tried again by the next run. */
public enum FileRejection {
    /** 0 bytes: usually an upload that failed. */
    EMPTY_FILE,
    /** No Parquet footer: not a Parquet file, or one whose upload was cut short (truncated). */
    NOT_PARQUET,
    /** A Parquet file whose columns do not fit the input contract (a column missing or of another type). */
    SCHEMA_MISMATCH,
    /** A Parquet file whose footer reads but whose data does not (a corrupt page), or another read error. */
    READ_ERROR,
    /** Listed, then gone before it could be read. */
    MISSING_FILE,
    /**
     * A file of messages/ or function_invocations/ outside their event_date=YYYY-MM-DD folders: its
     * rows have no UTC date, so no run can tell which days it belongs to. Both commands set it aside.
     */
    OUTSIDE_PARTITION
}
