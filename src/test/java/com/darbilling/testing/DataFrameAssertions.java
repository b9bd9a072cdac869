package com.darbilling.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Order-insensitive comparison of whole DataFrames, schema included, from spark-testing-base.
 * Only its comparison is used: the session is {@link TestSpark}'s, so its JUnit 4 lifecycle never runs.
 */
public final class DataFrameAssertions {
    private static final JavaDataFrameSuiteBase BASE = new JavaDataFrameSuiteBase();

    private DataFrameAssertions() {
    }

    public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
        BASE.assertDataFrameNoOrderEquals(expected, actual);
    }
}
