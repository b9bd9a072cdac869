package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.run.RunRecord;
import com.darbilling.run.Runs;
import com.darbilling.storage.Location;
import java.io.PrintStream;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/** The close command: it needs the warehouse only, no input root, plan catalog or key. */
public final class MonthClose {
    private final DeltaWriter writer;
    private final Runs runs;
    private final PrintStream out;
    private final Clock clock;

    public MonthClose(SparkSession spark, Location warehouse, PrintStream out) {
        this(spark, new DeltaWriter(spark, warehouse), out, Clock.systemUTC());
    }

    MonthClose(SparkSession spark, DeltaWriter writer, PrintStream out, Clock clock) {
        this.writer = writer;
        this.runs = new Runs(spark, writer, out);
        this.out = out;
        this.clock = clock;
    }

    /** Marks the month's DRAFT lines FINAL (R10), in one commit. */
    public RunRecord close(YearMonth month, String arguments) {
        return runs.locked(new RunRecord("close", arguments, clock, Optional.empty()), r -> {
            Column drafts = DeltaWriter.inMonth(month.toString()).and(col(Columns.STATUS).equalTo(lit(InvoiceStatus.DRAFT.name())));
            long count = writer.read(OutputTables.INVOICE_LINES).where(drafts).count();
            writer.update(OutputTables.INVOICE_LINES, drafts, Map.of(Columns.STATUS, lit(InvoiceStatus.FINAL.name())));
            out.println("close " + month + ": " + count + " DRAFT invoice lines are now FINAL");
        });
    }
}
