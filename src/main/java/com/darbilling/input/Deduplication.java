package com.darbilling.input;

import static org.apache.spark.sql.functions.*;

import com.darbilling.contract.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Repeated deliveries of one event (same id) count once, in the billing month of the earliest copy
 * (R5, R6). The month state keeps each month's earliest copy of an id; which copy counts is decided
 * across months, when a month is rated ({@link #withoutEarlierCopyInAnotherMonth}).
 */
public final class Deduplication {
    private static final String OTHER = "_other_";

    private Deduplication() {
    }

    /**
     * One row per {@code source.idColumn()} and billing month: the copy with the earliest instant,
     * ties broken by the other columns, so the choice does not depend on file order. A month's rows
     * give one row per id; a nightly batch keeps the earliest copy of each month it touches, as the
     * reprocess of each of those months would.
     */
    public static Dataset<Row> keepFirstByIdPerMonth(Dataset<Row> accepted, EventSource source) {
        Column first = min(earliestFirst(accepted.columns(), source, List.of(Columns.BILLING_MONTH))).as("first");
        List<Column> out = new ArrayList<>();
        for (String column : accepted.columns()) {
            out.add(column.equals(source.idColumn()) || column.equals(Columns.BILLING_MONTH) ? col(column)
                    : col("first." + column).as(column));
        }
        return accepted.groupBy(col(source.idColumn()), col(Columns.BILLING_MONTH)).agg(first).select(out.toArray(Column[]::new));
    }

    /**
     * The order of the copies of one id: by instant, then by the other columns (but {@code excluded}
     * and the id) in their order. Smaller is earlier; two distinct copies never tie.
     */
    public static Column earliestFirst(String[] columns, EventSource source, List<String> excluded) {
        return struct(orderColumns(columns, source, excluded).stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** The columns of {@link #earliestFirst}, in their order. */
    public static List<String> orderColumns(String[] columns, EventSource source, List<String> excluded) {
        List<String> ordered = new ArrayList<>();
        ordered.add(source.timeColumn());
        for (String column : columns) {
            if (!column.equals(source.timeColumn()) && !column.equals(source.idColumn()) && !excluded.contains(column)) {
                ordered.add(column);
            }
        }
        return ordered;
    }

    /**
     * The rows of {@code rows} (month state: each month's earliest copy of an id) that count: those
     * of which no other billing month of {@code stored} (the same columns) holds an earlier copy.
     * Comparing the state's columns gives the order {@link #keepFirstByIdPerMonth} gives: copies that tie on
     * them are the same state row.
     */
    public static Dataset<Row> withoutEarlierCopyInAnotherMonth(Dataset<Row> rows, Dataset<Row> stored, EventSource source) {
        return joinEarlierCopyInAnotherMonth(rows, stored, source, "left_anti");
    }

    /** The other rows of {@code rows}: those of an id of which another month of {@code stored} holds an earlier copy. */
    public static Dataset<Row> withEarlierCopyInAnotherMonth(Dataset<Row> rows, Dataset<Row> stored, EventSource source) {
        return joinEarlierCopyInAnotherMonth(rows, stored, source, "left_semi");
    }

    private static Dataset<Row> joinEarlierCopyInAnotherMonth(Dataset<Row> rows, Dataset<Row> stored, EventSource source, String joinType) {
        String[] columns = rows.columns();
        Dataset<Row> others = stored.select(Arrays.stream(stored.columns()).map(c -> col(c).as(OTHER + c)).toArray(Column[]::new));
        // The other copy's fields under the row's names: structs compare only when their field names agree.
        Column otherOrder = struct(orderColumns(columns, source, List.of()).stream().map(c -> col(OTHER + c).as(c)).toArray(Column[]::new));
        Column earlierElsewhere = col(source.idColumn()).equalTo(col(OTHER + source.idColumn()))
                .and(col(Columns.BILLING_MONTH).notEqual(col(OTHER + Columns.BILLING_MONTH)))
                .and(otherOrder.lt(earliestFirst(columns, source, List.of())));
        return rows.join(others, earlierElsewhere, joinType);
    }

    /** The distinct ids of {@code rows}, for looking up the state rows of the same ids. */
    public static Dataset<Row> ids(Dataset<Row> rows, EventSource source) {
        return rows.select(col(source.idColumn())).distinct();
    }
}
