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
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * Rows the driver computed (credit usage, invoice lines, plan segments, projections, processed and
 * rejected files, nightly batches) as a DataFrame to write. Spark's local relation ships its rows inside every task, which it
 * warns about above 1 MB (a month of 2,000 sites' invoice lines); from {@link #BROADCAST_FROM_ROWS}
 * rows on they go to each executor once, as a broadcast, and tasks carry only their slice's bounds.
 *
 * <p>The two paths accept different Java values. The local relation converts what a driver-built row
 * holds (a {@code java.util.List} or {@code Map}, a nested {@code Row}, a {@code LocalDate}) leniently;
 * the broadcast path goes through Spark's row encoder, which wants Scala collections and fails on a
 * Java {@code List} with a ClassCastException. Rows for the broadcast are therefore converted on the
 * driver to Spark's internal form and back, which yields exactly the external values the encoder takes
 * and refuses a value of the wrong type with the column's name before anything is written.
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
        Broadcast<List<Row>> shared = context.broadcast(encodable(rows, schema));
        int size = rows.size();
        int slices = Math.max(1, context.defaultParallelism());
        JavaRDD<Row> sliced = context.parallelize(IntStream.range(0, slices).boxed().toList(), slices)
                .flatMap(slice -> shared.value().subList(slice * size / slices, (slice + 1) * size / slices).iterator());
        return spark.createDataFrame(sliced, schema);
    }

    /** The rows with the external values Spark's row encoder takes (Scala Seq and Map, java.time or java.sql by the session's setting). */
    static List<Row> encodable(List<Row> rows, StructType schema) {
        Function1<Object, Object> toInternal = CatalystTypeConverters.createToCatalystConverter(schema);
        Function1<Object, Object> toExternal = CatalystTypeConverters.createToScalaConverter(schema);
        List<Row> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add((Row) toExternal.apply(toInternal.apply(r))));
        return out;
    }
}
