package com.darbilling.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Optional;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** One line from Spark's layered errors, and the raw file a failed job names. Messages as Spark 3.5.7 words them. */
class FailuresTest {
    private static final String FILE = "file:///in/messages/event_date=2026-10-12/part-1.parquet";

    private static SparkException stageFailure(Throwable cause) {
        return new SparkException("Job aborted due to stage failure: Task 0 in stage 8.0 failed 1 times, most recent failure: "
                + "Lost task 0.0 in stage 8.0 (TID 5) (host executor driver): org.apache.spark.SparkException: Exception thrown in "
                + "awaitResult: \n\tat org.apache.spark.util.SparkThreadUtils$.awaitResult(SparkThreadUtils.scala:56)", cause);
    }

    @Test
    void aCorruptPageNamesTheFileAndTheInnermostCause() {
        Exception e = stageFailure(new SparkException("Encountered error while reading file " + FILE + ". Details:",
                new IOException("can not read class org.apache.parquet.format.PageHeader: Required field 'encoding' was not present!")));
        assertEquals(Optional.of(FILE), Failures.unreadableFile(e));
        assertEquals("cannot read file " + FILE + ": can not read class org.apache.parquet.format.PageHeader: Required field "
                + "'encoding' was not present!", Failures.oneLine(e));
    }

    @Test
    void aMissingFooterAndAVanishedFileAreNamedToo() {
        Exception footer = stageFailure(new SparkException("Exception thrown in awaitResult: ", new SparkException(
                "[CANNOT_READ_FILE_FOOTER] Could not read footer for file: " + FILE + ". Please ensure that the file is in either ORC "
                        + "or Parquet format.", new RuntimeException(FILE + " is not a Parquet file (length is too low: 0)"))));
        assertEquals(Optional.of(FILE), Failures.unreadableFile(footer));
        assertEquals("cannot read file " + FILE + ": " + FILE + " is not a Parquet file (length is too low: 0)", Failures.oneLine(footer));

        Exception gone = stageFailure(new RuntimeException("File " + FILE + " does not exist"));
        assertEquals(Optional.of(FILE), Failures.unreadableFile(gone));
    }

    @Test
    void otherFailuresGiveTheirFirstOwnMessage() {
        Exception e = stageFailure(new IllegalStateException("No space left on device\nmore detail"));
        assertEquals(Optional.empty(), Failures.unreadableFile(e));
        assertEquals("No space left on device", Failures.oneLine(e));
        assertEquals("java.lang.NullPointerException", Failures.oneLine(new NullPointerException()));
    }
}
