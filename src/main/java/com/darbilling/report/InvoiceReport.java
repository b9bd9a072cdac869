package com.darbilling.report;

import static org.apache.spark.sql.functions.col;

import com.darbilling.contract.Columns;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Prints a month's invoice lines, site by site, as they stand in the warehouse. */
public final class InvoiceReport {
    private static final String FORMAT = "  %-10s %-26s %-30s %14s %10s %12s %-4s%n";

    private InvoiceReport() {
    }

    public static void print(SparkSession spark, DeltaWriter warehouse, YearMonth month, PrintStream out) {
        List<Row> lines = spark.read().format("delta").load(warehouse.pathOf(OutputTables.INVOICE_LINES))
                .where(col(Columns.BILLING_MONTH).equalTo(month.toString()))
                .select(Columns.SITE_ID, "invoice_version", Columns.STATUS, Columns.PLAN_ID, "plan_version", "line_type", "quantity",
                        "unit_price", "amount", "currency")
                .orderBy(col(Columns.SITE_ID), col("invoice_version"), col(Columns.PLAN_ID).asc_nulls_last(), col("line_type"))
                .collectAsList();
        out.println("Invoice lines for " + month + " (" + lines.size() + " lines)");
        String site = null;
        for (Row r : lines) {
            if (!r.getString(0).equals(site)) {
                site = r.getString(0);
                out.println();
                out.println("site " + site + "  (invoice version " + r.getInt(1) + ", " + r.getString(2) + ")");
                out.printf(Locale.ROOT, FORMAT, "plan", "version", "line_type", "quantity", "unit_price", "amount", "cur");
            }
            out.printf(Locale.ROOT, FORMAT, text(r.getString(3)), text(r.getString(4)), r.getString(5),
                    decimal(r.getDecimal(6)), decimal(r.getDecimal(7)), decimal(r.getDecimal(8)), text(r.getString(9)));
        }
    }

    private static String text(String value) {
        return value == null ? "-" : value;
    }

    private static String decimal(BigDecimal value) {
        return value == null ? "-" : value.toPlainString();
    }
}
