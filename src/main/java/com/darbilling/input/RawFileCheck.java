package com.darbilling.input;

import com.darbilling.contract.FileRejection;
import com.darbilling.contract.Inputs;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * Checks raw files before a run reads them: empty, outside the event_date folders of a table
 * partitioned by them, without a Parquet footer (not Parquet, or truncated), or with columns that
 * do not fit the input contract. One such file would make
 * Spark fail the whole batch, so it is set aside and the rest is billed. A corrupt page behind a
 * good footer is found only by reading the data: the batch reports it then (job.Commands, from the
 * error Spark names the file in).
 */
public final class RawFileCheck {
    /** Footers are read on the driver; a few at a time hide the latency of an object store. */
    private static final int PARALLEL_READS = 8;

    private RawFileCheck() {
    }

    /** The files among {@code files} that cannot be billed, in the order given. */
    public static List<RejectedFile> rejected(SparkSession spark, List<RawFile> files) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        SQLConf sql = spark.sessionState().conf();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS, r -> {
            Thread t = new Thread(r, "raw-file-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Optional<RejectedFile>>> checks = new ArrayList<>();
            for (RawFile file : files) {
                checks.add(pool.submit(() -> problem(file, hadoop, sql)));
            }
            List<RejectedFile> rejected = new ArrayList<>();
            for (Future<Optional<RejectedFile>> check : checks) {
                check.get().ifPresent(rejected::add);
            }
            return rejected;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking raw files", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("checking raw files failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What is wrong with one file, if anything. */
    public static Optional<RejectedFile> problem(RawFile file, Configuration hadoop, SQLConf sql) {
        if (file.size() < 0) {
            return Optional.of(new RejectedFile(file, FileRejection.MISSING_FILE, "listed, then gone before it was read"));
        }
        if (file.size() == 0) {
            return Optional.of(new RejectedFile(file, FileRejection.EMPTY_FILE, "0 bytes: an upload that failed?"));
        }
        if (file.source().partitionedByEventDate() && file.eventDate().isEmpty()) {
            return Optional.of(new RejectedFile(file, FileRejection.OUTSIDE_PARTITION, "not in an " + Inputs.EVENT_DATE
                    + "=YYYY-MM-DD folder, so its rows have no UTC date; move it into the folder of its events' date"));
        }
        MessageType footerSchema;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(RawFile.readable(file.path())), hadoop))) {
            footerSchema = reader.getFooter().getFileMetaData().getSchema();
        } catch (FileNotFoundException e) {
            return Optional.of(new RejectedFile(file, FileRejection.MISSING_FILE, "listed, then gone before it was read"));
        } catch (IOException | RuntimeException e) {
            // parquet-mr reports a missing or bad footer as a RuntimeException: "... is not a Parquet file ..."
            String message = String.valueOf(e.getMessage());
            FileRejection reason = message.contains("is not a Parquet file") ? FileRejection.NOT_PARQUET : FileRejection.READ_ERROR;
            return Optional.of(new RejectedFile(file, reason, reason == FileRejection.NOT_PARQUET
                    ? "no Parquet footer: not a Parquet file, or truncated; " + withoutPath(message, file)
                    : withoutPath(message, file)));
        }
        try {
            StructType found = new ParquetToSparkSchemaConverter(sql).convert(footerSchema);
            InputReader.conform(file.source().table(), found, file.source().schema());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(new RejectedFile(file, FileRejection.SCHEMA_MISMATCH, String.valueOf(e.getMessage())));
        }
    }

    private static String withoutPath(String message, RawFile file) {
        String text = message.lines().findFirst().orElse(message);
        String path = file.location();
        return text.replace(file.path(), "").replace("file:" + path, "").replace(path, "").strip();
    }
}
