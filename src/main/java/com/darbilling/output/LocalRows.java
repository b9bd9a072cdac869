package com.darbilling.output;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Rows the driver computed (credit usage, invoice lines, plan segments, projections, processed
 * files) as a DataFrame to write. Spark's local relation ships its rows inside every task, which it
 * warns about above 1 MB (a month of 2,000 sites' invoice lines); from {@link #BROADCAST_FROM_ROWS}
 * rows on they go to each executor once, as a broadcast, and tasks carry only their slice's bounds.
 */
public final class LocalRows {
    /** Fewer rows than this (a few hundred KB at most) travel in the tasks, as Spark's local relation does. */
    public static final int BROADCAST_FROM_ROWS = 1_000;

    private LocalRows() {
    }

    public static Dataset<Row> of(SparkSession spark, List<Row> rows, StructType schema) {
        if (rows.size() < BROADCAST_FROM_ROWS) {
            return spark.createDataFrame(rows, schema);
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<List<Row>> shared = context.broadcast(new ArrayList<>(rows));
        int size = rows.size();
        int slices = Math.max(1, context.defaultParallelism());
        JavaRDD<Row> sliced = context.parallelize(IntStream.range(0, slices).boxed().toList(), slices)
                .flatMap(slice -> shared.value().subList(slice * size / slices, (slice + 1) * size / slices).iterator());
        return spark.createDataFrame(sliced, schema);
    }
}
