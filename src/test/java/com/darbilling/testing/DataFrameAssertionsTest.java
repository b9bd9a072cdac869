package com.darbilling.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The comparison the Spark tests rely on can fail: on a different row, a missing row, a different schema. */
class DataFrameAssertionsTest {
    private static Dataset<Row> rows(StructType schema, Object... values) {
        return TestSpark.session().createDataFrame(List.of(values).stream().map(v -> RowFactory.create(v)).toList(), schema);
    }

    @Test
    void detectsDifferences() {
        StructType text = new StructType().add("v", "string");
        DataFrameAssertions.assertSameRows(rows(text, "a", "b"), rows(text, "b", "a"));
        assertThrows(AssertionError.class, () -> DataFrameAssertions.assertSameRows(rows(text, "a", "b"), rows(text, "a", "c")));
        assertThrows(AssertionError.class, () -> DataFrameAssertions.assertSameRows(rows(text, "a", "b"), rows(text, "a")));
        StructType number = new StructType().add("v", "long");
        assertThrows(AssertionError.class, () -> DataFrameAssertions.assertSameRows(rows(text, "1"), rows(number, 1L)));
    }
}
