package com.darbilling.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.testing.TestSpark;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class LocalRowsTest {
    private static final StructType SCHEMA = new StructType()
            .add("n", DataTypes.IntegerType)
            .add("site_id", DataTypes.StringType)
            .add("amount", DataTypes.createDecimalType(18, 2))
            .add("day", DataTypes.DateType);

    /** 2,500 rows (more than the threshold) go by broadcast: every row arrives once, values exact. */
    @Test
    void manyRowsArriveOnceEachThroughABroadcast() {
        List<Row> rows = rows(2_500);
        Dataset<Row> frame = LocalRows.of(TestSpark.session(), rows, SCHEMA);
        assertFalse(frame.queryExecution().analyzed() instanceof LocalRelation, "not a local relation: its rows would travel in every task");
        List<Row> back = frame.orderBy("n").collectAsList();
        assertEquals(2_500, back.size());
        assertEquals(RowFactory.create(0, "site-0", new BigDecimal("0.00"), LocalDate.of(2026, 10, 1)), back.get(0));
        // 2499 % 30 = 9: the tenth
        assertEquals(RowFactory.create(2_499, "site-2499", new BigDecimal("24.99"), LocalDate.of(2026, 10, 10)), back.get(2_499));
        assertEquals(rows, back);
        // 0.00 + 0.01 + ... + 24.99 = 0.01 * (2499 * 2500 / 2)
        assertEquals(0, new BigDecimal("31237.50").compareTo(frame.agg(org.apache.spark.sql.functions.sum("amount")).first().getDecimal(0)));
    }

    @Test
    void fewRowsStayALocalRelation() {
        Dataset<Row> frame = LocalRows.of(TestSpark.session(), rows(3), SCHEMA);
        assertTrue(frame.queryExecution().analyzed() instanceof LocalRelation);
        assertEquals(rows(3), frame.orderBy("n").collectAsList());
    }

    private static List<Row> rows(int count) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create(i, "site-" + i, BigDecimal.valueOf(i, 2), LocalDate.of(2026, 10, 1 + i % 30)));
        }
        return rows;
    }
}
