package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.contract.Columns;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.run.Refusal;
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
    private final UnfinishedMonths unfinished;

    public MonthClose(SparkSession spark, Location warehouse, PrintStream out) {
        this(spark, new DeltaWriter(spark, warehouse), out, Clock.systemUTC());
    }

    MonthClose(SparkSession spark, DeltaWriter writer, PrintStream out, Clock clock) {
        this.writer = writer;
        this.runs = new Runs(spark, writer, out);
        this.out = out;
        this.clock = clock;
        this.unfinished = new UnfinishedMonths(spark, writer);
    }

    /**
     * Marks the month's DRAFT lines FINAL (R10), in one commit, then names what may still be missing
     * from the month (see {@link CloseNotes}). A warehouse that does not exist (a mistyped path) and
     * a month never rated are refused before the lock, which would create the warehouse's folder; a
     * month a reprocess left unfinished is refused under the lock.
     */
    public RunRecord close(YearMonth month, String arguments) {
        if (!writer.exists(OutputTables.RUNS)) {
            throw Refusal.cannotRun("close refused, nothing written: no warehouse at " + writer.warehouse()
                    + " (no runs table); check --warehouse");
        }
        if (writer.read(OutputTables.INVOICE_LINES).where(DeltaWriter.inMonth(month.toString())).isEmpty()) {
            throw Refusal.cannotRun("close refused, nothing written: billing month " + month + " was never rated in "
                    + writer.warehouse() + " (no invoice lines); reprocess it first");
        }
        return runs.locked(new RunRecord("close", arguments, clock, Optional.empty()), () -> unfinished.refuseAny("close", "DIR"), r -> {
            Column drafts = DeltaWriter.inMonth(month.toString()).and(col(Columns.STATUS).equalTo(lit(InvoiceStatus.DRAFT.name())));
            long count = writer.read(OutputTables.INVOICE_LINES).where(drafts).count();
            writer.update(OutputTables.INVOICE_LINES, drafts, Map.of(Columns.STATUS, lit(InvoiceStatus.FINAL.name())));
            out.println("close " + month + ": " + count + " DRAFT invoice lines are now FINAL");
            CloseNotes.of(writer, month).forEach(out::println);
        });
    }
}
