package com.darbilling.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.collection.JavaConverters;

/**
 * Every column type a driver-built row holds (as the output tables have them: strings, ints, longs,
 * booleans, decimals, dates, instants, an array of dates, an array of structs, a map, a struct, nulls),
 * written as a Delta table on both sides of {@link LocalRows#BROADCAST_FROM_ROWS} and read back.
 */
class LocalRowsTest {
    private static final StructType ZONE = new StructType()
            .add("time_zone", DataTypes.StringType)
            .add("effective_from", DataTypes.TimestampType);
    private static final StructType SCHEMA = new StructType()
            .add("n", DataTypes.IntegerType, false)
            .add("site_id", DataTypes.StringType)
            .add("count", DataTypes.LongType)
            .add("done", DataTypes.BooleanType)
            .add("amount", DataTypes.createDecimalType(18, 2))
            .add("credits", DataTypes.createDecimalType(18, 4))
            .add("day", DataTypes.DateType)
            .add("at", DataTypes.TimestampType)
            .add("dates", DataTypes.createArrayType(DataTypes.DateType))
            .add("zones", DataTypes.createArrayType(ZONE))
            .add("per_category", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
            .add("zone", ZONE);

    @TempDir
    static Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {3, 999, 1_000, 2_500})
    void everyColumnTypeIsWrittenAsGivenOnBothSidesOfTheThreshold(int count) {
        List<Row> rows = rows(count);
        Dataset<Row> frame = LocalRows.of(TestSpark.session(), rows, SCHEMA);
        assertEquals(count < 1_000, frame.queryExecution().analyzed() instanceof LocalRelation,
                "below 1,000 rows a local relation, from 1,000 on a broadcast");

        String path = tmp.resolve("rows-" + count).toString();
        frame.write().format("delta").save(path);
        List<Row> back = TestSpark.session().read().format("delta").load(path).orderBy("n").collectAsList();

        assertEquals(count, back.size());
        for (int i = 0; i < count; i++) {
            assertEquals(javaValues(rows.get(i)), javaValues(back.get(i)), "row " + i);
        }
        // Row 2 worked out by hand: 2 % 7 = 2 (no nulls), 2 % 30 = 2 (3 October), 2 % 2 = 0 (two zones).
        assertEquals(List.of(2, "site-2", 2_000L, true, new BigDecimal("0.02"), new BigDecimal("0.0002"),
                        LocalDate.of(2026, 10, 3), Instant.parse("2026-10-03T00:00:00Z"),
                        List.of(LocalDate.of(2026, 10, 3), LocalDate.of(2026, 10, 4)),
                        List.of(List.of("Europe/London", Instant.parse("2026-10-25T01:00:00Z")), Arrays.asList("UTC", null)),
                        new TreeMap<>(Map.of("MESSAGING", 2L, "COBROWSE", 0L)), Arrays.asList("Asia/Kathmandu", null)),
                javaValues(back.get(2)));
        // Row 0 (0 % 7 = 0): every nullable column null.
        assertEquals(Arrays.asList(0, null, null, null, null, null, null, null, null, null, null, null), javaValues(back.get(0)));
    }

    @ParameterizedTest
    @ValueSource(ints = {999, 1_000, 2_500})
    void sumsAndCountsAreExactOnBothSidesOfTheThreshold(int count) {
        Dataset<Row> frame = LocalRows.of(TestSpark.session(), rows(count), SCHEMA);
        long nullRows = (count + 6) / 7;
        // amount of row i is i cents on rows that are not null rows (i % 7 != 0): all cents minus those of multiples of 7
        long multiplesOfSeven = 7L * (nullRows - 1) * nullRows / 2;
        BigDecimal expected = BigDecimal.valueOf((long) (count - 1) * count / 2 - multiplesOfSeven, 2);
        Row totals = frame.agg(org.apache.spark.sql.functions.sum("amount"), org.apache.spark.sql.functions.count("site_id"),
                org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.size(org.apache.spark.sql.functions.col("zones")))).first();
        assertEquals(0, expected.compareTo(totals.getDecimal(0)), expected + " vs " + totals.getDecimal(0));
        assertEquals(count - nullRows, totals.getLong(1));
    }

    /** Row i; every seventh row (i % 7 == 0) has every nullable column null. */
    private static List<Row> rows(int count) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 7 == 0) {
                rows.add(RowFactory.create(i, null, null, null, null, null, null, null, null, null, null, null));
                continue;
            }
            LocalDate day = LocalDate.of(2026, 10, 1 + i % 30);
            List<Row> zones = i % 2 == 0
                    ? List.of(RowFactory.create("Europe/London", Instant.parse("2026-10-25T01:00:00Z")), RowFactory.create("UTC", null))
                    : List.of(RowFactory.create("Asia/Tokyo", null));
            Map<String, Long> perCategory = new LinkedHashMap<>();
            perCategory.put("MESSAGING", (long) i);
            perCategory.put("COBROWSE", 0L);
            rows.add(RowFactory.create(i, "site-" + i, i * 1_000L, i % 2 == 0, BigDecimal.valueOf(i, 2), BigDecimal.valueOf(i, 4), day,
                    day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), List.of(day, day.plusDays(1)), zones, perCategory,
                    RowFactory.create("Asia/Kathmandu", null)));
        }
        return rows;
    }

    /** A row's values as plain Java values: Scala collections as Java lists and sorted maps, structs as lists. */
    private static List<Object> javaValues(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            values.add(javaValue(row.get(i)));
        }
        return values;
    }

    private static Object javaValue(Object value) {
        if (value instanceof Row r) {
            return javaValues(r);
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return javaValue(JavaConverters.seqAsJavaList(seq));
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            return javaValue(JavaConverters.mapAsJavaMap(map));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LocalRowsTest::javaValue).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(javaValue(k), javaValue(v)));
            return sorted;
        }
        return value;
    }
}
