package com.darbilling.job;

import com.darbilling.contract.Columns;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.StateTables;
import com.darbilling.run.Refusal;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Months a reprocess started writing and did not finish (killed, or failed between its writes): its
 * DARs and month state may be new while its invoice lines, plan segments and projections are old.
 * The mark is in the warehouse's own state, set before the reprocess's first write of the month and
 * cleared after its last; until a reprocess of the month clears it, runs that would build on the
 * month are refused.
 */
final class UnfinishedMonths {
    private final SparkSession spark;
    private final DeltaWriter writer;

    UnfinishedMonths(SparkSession spark, DeltaWriter writer) {
        this.spark = spark;
        this.writer = writer;
    }

    void mark(YearMonth month, String runId) {
        writer.replace(StateTables.UNFINISHED_MONTHS, LocalRows.of(spark, List.of(RowFactory.create(month.toString(), runId)),
                StateTables.UNFINISHED_MONTHS.schema()), DeltaWriter.inMonth(month.toString()));
    }

    /** The run that marked {@code month} unfinished, if it is. */
    Optional<String> markedBy(YearMonth month) {
        return writer.read(StateTables.UNFINISHED_MONTHS).where(DeltaWriter.inMonth(month.toString())).collectAsList().stream()
                .map(r -> r.<String>getAs(Columns.RUN_ID)).findFirst();
    }

    void clear(YearMonth month) {
        writer.delete(StateTables.UNFINISHED_MONTHS, DeltaWriter.inMonth(month.toString()));
    }

    /**
     * Refuses (exit 3) a run while any month is unfinished, naming each month and the command that
     * finishes it. Checked under the lock: a reprocess still running holds the mark too.
     *
     * @param command what is refused ("nightly", "close")
     * @param input   the input root to name in the command that finishes the month
     */
    void refuseAny(String command, String input) {
        TreeMap<String, String> months = new TreeMap<>();
        for (Row r : writer.read(StateTables.UNFINISHED_MONTHS).collectAsList()) {
            months.put(r.getAs(Columns.BILLING_MONTH), r.getAs(Columns.RUN_ID));
        }
        if (months.isEmpty()) {
            return;
        }
        throw Refusal.needsOperator(command + " refused, nothing written: " + (months.size() == 1 ? "billing month " : "billing months ")
                + String.join(", ", months.keySet()) + (months.size() == 1 ? " is" : " are")
                + " unfinished (a reprocess stopped between its writes: run " + String.join(", ", months.values())
                + "); finish " + (months.size() == 1 ? "it" : "each") + " with "
                + months.keySet().stream().map(m -> "jobs/billing reprocess --month " + m + " --input " + input + " --warehouse "
                        + writer.warehouse()).collect(Collectors.joining("; ")));
    }
}
