package com.darbilling.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.darbilling.contract.Columns;
import com.darbilling.contract.Inputs;
import com.darbilling.storage.Location;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema drift at the read: safe conversions, clear errors naming table, column, expected and found. */
class InputReaderTest {
    private static final SparkSession SPARK = TestSpark.session();
    private static final LocalDate DAY = LocalDate.of(2026, 10, 10);

    @TempDir
    Path root;

    private InputReader rootWithSessions(StructType schema, Row row) throws Exception {
        for (String table : List.of(Inputs.MESSAGES, Inputs.SITES, Inputs.SITE_PLANS, Inputs.FUNCTION_INVOCATIONS)) {
            Files.createDirectories(root.resolve(table));
        }
        InputRoots.write(root.resolve(Inputs.COBROWSE_SESSIONS), SPARK.createDataFrame(List.of(row), schema), false);
        return new InputReader(SPARK, Location.of(root));
    }

    private static StructType sessions(org.apache.spark.sql.types.DataType idType, org.apache.spark.sql.types.DataType startedType) {
        return new StructType().add("session_id", idType).add("site_id", DataTypes.StringType).add("started_at", startedType)
                .add("interactive", DataTypes.BooleanType).add("producer_note", DataTypes.StringType);
    }

    @Test
    void integralIdsBecomeTextAndExtraColumnsAreIgnored() throws Exception {
        InputReader reader = rootWithSessions(sessions(DataTypes.LongType, DataTypes.TimestampType),
                RowFactory.create(42L, "s", Instant.parse("2026-10-10T10:00:00Z"), true, "ignored"));
        Dataset<Row> read = reader.events(EventSource.COBROWSE_SESSIONS, DAY, DAY);
        assertEquals(EventSource.COBROWSE_SESSIONS.schema().add(Columns.INPUT_FILE, DataTypes.StringType, false), read.schema());
        assertEquals("42", read.first().getString(0));
    }

    @Test
    void timestampWithoutZoneIsReadAsUtc() throws Exception {
        InputReader reader = rootWithSessions(sessions(DataTypes.StringType, DataTypes.TimestampNTZType),
                RowFactory.create("x", "s", LocalDateTime.parse("2026-10-10T10:00:00"), true, null));
        assertEquals(Instant.parse("2026-10-10T10:00:00Z"), reader.events(EventSource.COBROWSE_SESSIONS, DAY, DAY).first().get(2));
    }

    @Test
    void anInstantAsTextOrAsANumberIsRefused() throws Exception {
        InputReader asText = rootWithSessions(sessions(DataTypes.StringType, DataTypes.StringType),
                RowFactory.create("x", "s", "2026-10-10T10:00:00Z", true, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> asText.events(EventSource.COBROWSE_SESSIONS, DAY, DAY));
        assertEquals("input cobrowse_sessions: column started_at has type string, expected timestamp", e.getMessage());
        InputReader asMillis = rootWithSessions(sessions(DataTypes.StringType, DataTypes.LongType),
                RowFactory.create("x", "s", 1791540000000L, true, null));
        e = assertThrows(IllegalArgumentException.class, () -> asMillis.events(EventSource.COBROWSE_SESSIONS, DAY, DAY));
        assertEquals("input cobrowse_sessions: column started_at has type bigint, expected timestamp", e.getMessage());
    }

    @Test
    void aMissingColumnIsNamed() throws Exception {
        StructType withoutInteractive = new StructType().add("session_id", DataTypes.StringType).add("site_id", DataTypes.StringType)
                .add("started_at", DataTypes.TimestampType);
        InputReader reader = rootWithSessions(withoutInteractive, RowFactory.create("x", "s", Instant.parse("2026-10-10T10:00:00Z")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader.events(EventSource.COBROWSE_SESSIONS, DAY, DAY));
        assertEquals("input cobrowse_sessions: column interactive is missing (expected boolean)", e.getMessage());
    }

    @Test
    void emptyTablesReadAsEmpty() throws Exception {
        for (String table : List.of(Inputs.MESSAGES, Inputs.SITES, Inputs.SITE_PLANS, Inputs.FUNCTION_INVOCATIONS,
                Inputs.COBROWSE_SESSIONS)) {
            Files.createDirectories(root.resolve(table));
        }
        InputReader reader = new InputReader(SPARK, Location.of(root));
        assertEquals(0, reader.events(EventSource.COBROWSE_SESSIONS, DAY, DAY).count());
        assertEquals(0, reader.events(EventSource.MESSAGES, DAY, DAY).count());
        assertEquals(List.of(), reader.zoneRows());
    }
}
