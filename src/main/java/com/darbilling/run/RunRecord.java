package com.darbilling.run;

import com.darbilling.contract.FileRejection;
import com.darbilling.contract.RunStatus;
import com.darbilling.input.RejectedFile;
import com.darbilling.input.SourceCounts;
import com.darbilling.output.OutputTables;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
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
    private final Instant asOf;
    private final Clock clock;
    private final List<SourceCounts> counts = new ArrayList<>();
    private final TreeSet<String> months = new TreeSet<>();
    private final List<String> unbilled = new ArrayList<>();
    private final Map<String, Long> tableVersions = new LinkedHashMap<>();
    private long emptyFiles;
    private RunStatus status = RunStatus.RUNNING;
    private long unbilledFiles;
    private long changedFiles;
    private final List<String> referenceChanges = new ArrayList<>();
    private long referenceWaiting;
    private long darRows;
    private long invoiceLines;

    /**
     * @param clock the run's clock: its start, its end and its run id; never a billing figure
     * @param asOf  the cutoff given on the command line (--as-of); the run's start when empty
     */
    public RunRecord(String command, String arguments, Clock clock, Optional<Instant> asOf) {
        this.clock = clock;
        this.startedAt = clock.instant();
        // Whole seconds: the default cutoff is printed and stored, and may be passed again as --as-of.
        this.asOf = asOf.orElse(startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        this.runId = ID_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.command = command;
        this.arguments = arguments;
    }

    public String runId() {
        return runId;
    }

    public String command() {
        return command;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The run's cutoff: events more than a day after it are TIMESTAMP_OUT_OF_RANGE. */
    public Instant asOf() {
        return asOf;
    }

    /**
     * Adds what a stage of the run did: its accounting, the billing months it wrote, the DARs and
     * invoice lines written, and closed site-months whose usage changed without being billed.
     */
    public void add(List<SourceCounts> sourceCounts, List<YearMonth> billingMonths, long dars, long lines, List<String> unbilledChanges) {
        counts.addAll(sourceCounts);
        billingMonths.forEach(m -> months.add(m.toString()));
        darRows += dars;
        invoiceLines += lines;
        unbilled.addAll(unbilledChanges);
    }

    /** Files this run set aside; {@code billed} false for files it did not bill (a nightly run's), true for empty files a reprocess read past. */
    public void addRejected(List<RejectedFile> files, boolean billed) {
        emptyFiles += files.stream().filter(f -> f.reason() == FileRejection.EMPTY_FILE).count();
        if (!billed) {
            unbilledFiles += files.size();
        }
    }

    /** Files the run could not bill: a nightly run that billed the rest ends PARTIAL. */
    public long unbilledFiles() {
        return unbilledFiles;
    }

    /**
     * Raw files changed or gone after they were billed that wait for a reprocess: a nightly run that
     * found any ends PARTIAL.
     */
    public void changedFiles(long count) {
        changedFiles = count;
    }

    public long changedFiles() {
        return changedFiles;
    }

    /**
     * Reference data found changed since months were rated, and what the run did about each;
     * {@code waiting}: months left for a reprocess (closed, or a raw file unreadable): the run ends PARTIAL.
     */
    public void referenceChanges(List<String> changes, long waiting) {
        referenceChanges.clear();
        referenceChanges.addAll(changes);
        referenceWaiting = waiting;
    }

    public long referenceWaiting() {
        return referenceWaiting;
    }

    /** The status the run ended with (RUNNING until then). */
    public RunStatus status() {
        return status;
    }

    public void end(RunStatus endStatus) {
        this.status = endStatus;
    }

    public void tableVersions(Map<String, Long> versions) {
        tableVersions.putAll(versions);
    }

    public List<SourceCounts> counts() {
        return List.copyOf(counts);
    }

    public List<String> months() {
        return List.copyOf(months);
    }

    public List<String> unbilledChanges() {
        return List.copyOf(unbilled);
    }

    public Dataset<Row> toRow(SparkSession spark, RunStatus status, String error) {
        Map<String, Long> byKey = new LinkedHashMap<>();
        long read = 0, accepted = 0, quarantined = 0, duplicates = 0, otherMonth = 0;
        for (SourceCounts c : counts) {
            c.asMap().forEach((k, v) -> byKey.merge(k, v, Long::sum));
            read += c.read();
            accepted += c.accepted();
            quarantined += c.quarantined();
            duplicates += c.duplicates();
            otherMonth += c.otherMonth();
        }
        Row row = RowFactory.create(runId, command, arguments, status.name(), startedAt, status == RunStatus.RUNNING ? null : clock.instant(),
                List.copyOf(months), read, accepted, quarantined, duplicates, otherMonth, byKey, darRows, invoiceLines,
                unbilled.isEmpty() ? null : String.join(", ", unbilled), tableVersions, error, unbilledFiles, emptyFiles, asOf,
                referenceChanges.isEmpty() ? null : String.join("; ", referenceChanges));
        return spark.createDataFrame(List.of(row), OutputTables.RUNS.schema());
    }
}
