package com.darbilling.output;

import com.darbilling.contract.Columns;
import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.input.RejectedFile;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.rating.CreditUsage;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Java results of rating as rows of their output tables. */
public final class Rows {
    private Rows() {
    }

    public static Dataset<Row> creditUsage(SparkSession spark, List<CreditUsage> rows, String runId) {
        List<Row> out = rows.stream()
                .map(u -> RowFactory.create(u.siteId(), u.billingMonth(), u.category().name(), u.usageQuantity(),
                        u.credits(), runId))
                .toList();
        return LocalRows.of(spark, out, OutputTables.CREDIT_USAGE.schema());
    }

    public static Dataset<Row> rejectedFiles(SparkSession spark, List<RejectedFile> files, String runId) {
        List<Row> out = files.stream()
                .map(f -> RowFactory.create(runId, f.file().source().table(), f.file().path(), f.reason().name(), f.detail(),
                        f.file().size(), f.file().modifiedAt()))
                .toList();
        return LocalRows.of(spark, out, OutputTables.REJECTED_FILES.schema());
    }

    public static Dataset<Row> invoiceLines(SparkSession spark, List<InvoiceLine> lines, String runId) {
        List<Row> out = lines.stream()
                .map(l -> RowFactory.create(l.siteId(), l.billingMonth(), l.invoiceVersion(), l.status().name(),
                        l.planId(), l.planVersion(), l.lineType().name(),
                        l.adjustedLineType() == null ? null : l.adjustedLineType().name(), l.quantity(), l.unitPrice(),
                        l.amount(), l.currency(), runId))
                .toList();
        return LocalRows.of(spark, out, OutputTables.INVOICE_LINES.schema());
    }

    /** An invoice_lines row read back (the inverse of {@link #invoiceLines}, without run_id). */
    public static InvoiceLine invoiceLine(Row r) {
        String adjusted = r.getAs("adjusted_line_type");
        return new InvoiceLine(r.getAs(Columns.SITE_ID), r.getAs(Columns.BILLING_MONTH), r.<Integer>getAs("invoice_version"),
                InvoiceStatus.valueOf(r.getAs(Columns.STATUS)), r.getAs(Columns.PLAN_ID), r.getAs("plan_version"),
                LineType.valueOf(r.getAs("line_type")), adjusted == null ? null : LineType.valueOf(adjusted),
                r.getAs("quantity"), r.getAs("unit_price"), r.getAs("amount"), r.getAs("currency"));
    }
}
