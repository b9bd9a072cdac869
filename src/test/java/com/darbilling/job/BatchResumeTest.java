package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.input.InputReader;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.StateTables;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.storage.Location;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch planned by a run that was killed is finished by the next run, with the files' real size and time. */
class BatchResumeTest {
    @TempDir
    Path tmp;

    /**
     * Size and modification time of each data file, read from the file system: to the millisecond,
     * as Hadoop's FileSystem (which lists the input on every store) gives it.
     */
    private static Map<String, String> filesOnDisk(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                files.put(f.toUri().toString(), Files.size(f) + " " + Files.getLastModifiedTime(f).toInstant().truncatedTo(ChronoUnit.MILLIS));
            }
        }
        return files;
    }

    @Test
    void aResumedBatchRecordsTheFilesAsTheyWerePlanned() throws IOException {
        Path input = InputRoots.withMessages(tmp.resolve("input"),
                List.of(consumer("m1", "s", "ann", "2026-10-10T10:00:00Z"), consumer("m2", "s", "bob", "2026-10-11T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
        Path warehouse = tmp.resolve("warehouse");
        DeltaWriter writer = new DeltaWriter(TestSpark.session(), Location.of(warehouse));
        // What a run killed right after planning leaves: the batch planned, nothing else.
        Nightly.Plan planned = Nightly.plan(writer, new InputReader(TestSpark.session(), Location.of(input)), java.util.Optional.empty());
        long batchId = Nightly.start(writer, TestSpark.session(), planned, "killed-run");
        Map<String, String> expected = filesOnDisk(input.resolve("messages"));
        assertEquals(2, expected.size(), "one file per event_date partition");

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), Catalogs.starterAndGrowth("0.10"), PseudonymKey.of("test-key-0123456789abcdef"),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).nightly("resume");

        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("nightly: batch " + batchId + " (resumed"), printed.toString(StandardCharsets.UTF_8));
        Map<String, String> processed = new TreeMap<>();
        for (Row r : writer.read(StateTables.PROCESSED_FILES).collectAsList()) {
            processed.put(r.getAs("path"), r.<Long>getAs("size") + " " + r.<Instant>getAs("modified_at"));
        }
        assertEquals(expected, processed, "processed_files has each file's real size and time, not 0 and the epoch");
        Row batch = writer.read(StateTables.BATCHES).collectAsList().get(0);
        Map<String, String> inBatch = new TreeMap<>();
        for (Row f : batch.<Row>getList(batch.fieldIndex("files"))) {
            inBatch.put(f.getAs("path"), f.<Long>getAs("size") + " " + f.<Instant>getAs("modified_at"));
        }
        assertEquals(expected, inBatch);
        assertEquals(true, batch.getAs("done"));
    }
}
