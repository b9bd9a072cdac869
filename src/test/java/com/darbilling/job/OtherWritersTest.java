package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.Columns;
import com.darbilling.input.InputReader;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.TableSpec;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.RunFailure;
import com.darbilling.storage.Location;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.Warehouses;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another writer (an analyst's DELETE or UPDATE, in a session of its own) commits to the DAR table between a
 * reprocess's read of it and its commit, made deterministic: the DAR write's one task runs the
 * other writer's DELETE and waits for it, so Delta refuses the run's commit (a file it read was
 * removed). The run writes again and ends as one reprocess ends; when the other writer gets in
 * every time, the run fails after {@link DeltaWriter#WRITE_ATTEMPTS} attempts, in one line.
 */
class OtherWritersTest {
    private static final String KEY = "test-key-0123456789abcdef";
    private static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** Attempts of the DAR write that the other writer still gets in before (counted down by the write's task). */
    private static final AtomicInteger INTERRUPTIONS = new AtomicInteger();
    private static volatile String darTable;
    /** What the other writer does: DELETE the DARs of 10-10 once, or UPDATE the month's rows (every time: rows stay). */
    private static volatile boolean updates;

    @TempDir
    Path tmp;
    private Path input;

    /** s (UTC): ann on 10-10 and 10-11, bob on 10-10: 3 DARs. */
    @BeforeEach
    void input() {
        input = InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "s", "ann", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "s", "ann", "2026-10-11T10:00:00Z"),
                        consumer("m-3", "s", "bob", "2026-10-10T12:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
    }

    /** The other writer, in its own session (no billing run's id on its commit): a DELETE or an UPDATE of rows the run read. */
    private static void otherWriterCommits() {
        Thread other = new Thread(() -> {
            DeltaTable dars = DeltaTable.forPath(TestSpark.session().newSession(), darTable);
            if (updates) {
                dars.update(col(Columns.BILLING_MONTH).equalTo("2026-10"), java.util.Map.of(Columns.SITE_ID, col(Columns.SITE_ID)));
            } else {
                dars.delete(col(Columns.LOCAL_DATE).equalTo(lit(LocalDate.of(2026, 10, 10))));
            }
        });
        other.start();
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Commands commands(Path warehouse, ByteArrayOutputStream report) {
        DeltaWriter interrupted = new DeltaWriter(TestSpark.session(), Location.of(warehouse)) {
            @Override
            public void replace(TableSpec table, Dataset<Row> rows, Column predicate) {
                if (table != OutputTables.DAILY_ACTIVE_RELATIONSHIPS) {
                    super.replace(table, rows, predicate);
                    return;
                }
                darTable = pathOf(table);
                // One task per attempt: it lets the other writer in while the attempt's transaction is open.
                Dataset<Row> hooked = rows.coalesce(1).mapPartitions((MapPartitionsFunction<Row, Row>) partition -> {
                    if (INTERRUPTIONS.getAndDecrement() > 0) {
                        otherWriterCommits();
                    }
                    return partition;
                }, Encoders.row(rows.schema()));
                super.replace(table, hooked, predicate);
            }
        };
        return new Commands(TestSpark.session(), new InputReader(TestSpark.session(), Location.of(input)), interrupted,
                Catalogs.starterAndGrowth("0.10"), PseudonymKey.of(KEY), new PrintStream(report, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
    }

    private static long dars(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count();
    }

    @Test
    void aDeleteBetweenTheRunsReadAndItsCommitMakesTheRunWriteAgainAndEndAsOneReprocess() {
        Path warehouse = tmp.resolve("warehouse");
        INTERRUPTIONS.set(0);
        updates = false;
        commands(warehouse, new ByteArrayOutputStream()).reprocess(OCTOBER, Optional.of(AS_OF), "first");
        assertEquals(3, dars(warehouse));

        INTERRUPTIONS.set(1);
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        commands(warehouse, report).reprocess(OCTOBER, Optional.of(AS_OF), "second");
        String printed = report.toString(StandardCharsets.UTF_8);

        assertEquals(-1, INTERRUPTIONS.get(), "the other writer got in once, and the run's second attempt ran");
        assertTrue(printed.contains("daily_active_relationships: another writer committed DELETE"), printed);
        assertTrue(printed.contains("outside any billing run"), printed);
        assertTrue(printed.contains("attempt 2 of 4"), printed);
        assertEquals(3, dars(warehouse), "the run's own DARs of October, the other writer's DELETE replaced");
        Path reference = tmp.resolve("reference");
        commands(reference, new ByteArrayOutputStream()).reprocess(OCTOBER, Optional.of(AS_OF), "reference");
        Warehouses.assertSameTables(reference, warehouse, "a reprocess that met another writer");
    }

    @Test
    void anotherWriterInEveryAttemptFailsTheRunInOneLine() {
        Path warehouse = tmp.resolve("warehouse");
        INTERRUPTIONS.set(0);
        commands(warehouse, new ByteArrayOutputStream()).reprocess(OCTOBER, Optional.of(AS_OF), "first");

        INTERRUPTIONS.set(DeltaWriter.WRITE_ATTEMPTS);
        updates = true;
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        RunFailure failure = assertThrows(RunFailure.class,
                () -> commands(warehouse, report).reprocess(OCTOBER, Optional.of(AS_OF), "second"));

        assertEquals(0, INTERRUPTIONS.get(), "each of the four attempts met the other writer");
        assertTrue(failure.getMessage().contains("another writer committed UPDATE"), failure.getMessage());
        assertTrue(failure.getMessage().contains("during each of 4 attempts of this run's replace"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("\n"), failure.getMessage());
        Row last = new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.RUNS)
                .where(col("arguments").equalTo("second")).first();
        assertEquals("FAILED", last.getAs(Columns.STATUS));
        assertEquals(3, report.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("writing again")).count());
    }
}
