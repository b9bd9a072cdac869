package com.darbilling.job;

import com.darbilling.output.OutputTables;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** One row of the runs table, filled in as the run goes. */
public final class RunRecord {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String runId;
    private final String command;
    private final String arguments;
    private final Instant startedAt;
    private final List<MonthResult> months = new ArrayList<>();

    public RunRecord(String command, String arguments) {
        this.startedAt = Instant.now();
        this.runId = ID_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.command = command;
        this.arguments = arguments;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String runId() {
        return runId;
    }

    public void add(MonthResult month) {
        months.add(month);
    }

    public List<MonthResult> months() {
        return List.copyOf(months);
    }

    public Dataset<Row> toRow(SparkSession spark, String status, String error) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long read = 0, accepted = 0, quarantined = 0, duplicates = 0, otherMonth = 0, dars = 0, lines = 0;
        for (MonthResult m : months) {
            for (SourceCounts c : m.counts()) {
                counts.putAll(c.asMap());
                read += c.read();
                accepted += c.accepted();
                quarantined += c.quarantined();
                duplicates += c.duplicates();
                otherMonth += c.otherMonth();
            }
            dars += m.darRows();
            lines += m.invoiceLines().size();
        }
        Row row = RowFactory.create(runId, command, arguments, status, startedAt, Instant.now(),
                months.stream().map(m -> m.month().toString()).toList(),
                read, accepted, quarantined, duplicates, otherMonth, counts, dars, lines, error);
        return spark.createDataFrame(List.of(row), OutputTables.RUNS.schema());
    }
}
