package com.darbilling.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.contract.Columns;
import com.darbilling.storage.Location;
import com.darbilling.testing.Fixtures;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw file under a folder whose name needs quoting in a URI has one name: the one listed, the
 * one in each row's input_file, and the one the file check and a second listing give.
 */
class RawFileNameTest {
    private static final SparkSession SPARK = TestSpark.session();
    private static final LocalDate DAY = LocalDate.of(2026, 10, 10);

    @TempDir
    Path tmp;

    @Test
    void aFolderWithASpaceAndAnAccentIsNamedTheSameByTheListingAndTheRows() throws Exception {
        Path root = InputRoots.withMessages(tmp.resolve("in b é"),
                List.of(Fixtures.consumer("m1", "s", "c", "2026-10-10T10:00:00Z")),
                List.of(InputRoots.site("s", "UTC")), List.of(InputRoots.plan("s", "starter", "2026-01-01", null)));
        Path partition = root.resolve("messages/event_date=2026-10-10");
        String part;
        try (var files = Files.list(partition)) {
            part = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".parquet")).findFirst().orElseThrow();
        }
        String expected = "file://" + tmp.toAbsolutePath() + "/in%20b%20é/messages/event_date=2026-10-10/" + part;
        InputReader reader = new InputReader(SPARK, Location.of(root));

        List<RawFile> listed = reader.listFiles(EventSource.MESSAGES, DAY, DAY);
        Row row = reader.events(EventSource.MESSAGES, DAY, DAY).first();

        assertEquals(List.of(expected), listed.stream().map(RawFile::path).toList());
        assertEquals(expected, row.getString(row.fieldIndex(Columns.INPUT_FILE)));
        assertEquals(tmp.toAbsolutePath() + "/in b é/messages/event_date=2026-10-10/" + part, listed.get(0).location());
        assertEquals(List.of(), RawFileCheck.rejected(SPARK, listed));
        assertEquals(listed, reader.filesOfDate(EventSource.MESSAGES, DAY));
    }
}
