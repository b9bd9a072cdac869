package com.darbilling.input;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Repeated deliveries of one event (same id) count once. */
public final class Deduplication {
    private Deduplication() {
    }

    /**
     * One row per {@code source.idColumn()}: the copy with the earliest instant, ties broken by the
     * other columns, so the choice does not depend on file order.
     */
    public static Dataset<Row> keepFirstById(Dataset<Row> accepted, EventSource source) {
        List<String> ordered = new ArrayList<>();
        ordered.add(source.timeColumn());
        for (String column : accepted.columns()) {
            if (!column.equals(source.timeColumn()) && !column.equals(source.idColumn())) {
                ordered.add(column);
            }
        }
        Column first = min(struct(ordered.stream().map(c -> col(c)).toArray(Column[]::new))).as("first");
        List<Column> out = new ArrayList<>();
        for (String column : accepted.columns()) {
            out.add(column.equals(source.idColumn()) ? col(column) : col("first." + column).as(column));
        }
        return accepted.groupBy(col(source.idColumn())).agg(first).select(out.toArray(Column[]::new));
    }
}
