package com.darbilling.testing;

import com.darbilling.contract.Columns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.output.TableSpec;
import com.darbilling.tools.SampleInputBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Comparing whole warehouses, and a small input root. */
public final class Warehouses {
    private static final List<TableSpec> COMPARED = List.of(OutputTables.DAILY_ACTIVE_RELATIONSHIPS, OutputTables.CREDIT_USAGE,
            OutputTables.INVOICE_LINES, OutputTables.QUARANTINE, StateTables.COBROWSE_SESSIONS, StateTables.FUNCTION_INVOCATIONS,
            StateTables.PLATFORM_USERS);

    private Warehouses() {
    }

    /** Every billing table as sorted text, without run ids (each run has its own) and with raw files named from the input root down. */
    public static List<String> contents(Path warehouse) {
        DeltaWriter tables = new DeltaWriter(TestSpark.session(), warehouse);
        List<String> rows = new ArrayList<>();
        for (TableSpec spec : COMPARED) {
            Dataset<Row> table = tables.read(spec);
            if (List.of(table.columns()).contains(Columns.RUN_ID)) {
                table = table.drop(Columns.RUN_ID);
            }
            table.collectAsList().forEach(r -> rows.add(spec.name() + " "
                    + r.toString().replaceAll("file:[^,\\]]*/(messages|cobrowse_sessions|function_invocations)/", "$1/")));
        }
        rows.sort(null);
        return rows;
    }

    /** Equal row sets, or the rows only on one side (the first 20 of each) in the failure message. */
    public static void assertSameContents(List<String> expected, List<String> actual, String message) {
        List<String> missing = expected.stream().filter(r -> !actual.contains(r)).limit(20).toList();
        List<String> extra = actual.stream().filter(r -> !expected.contains(r)).limit(20).toList();
        assertTrue(missing.isEmpty() && extra.isEmpty() && expected.size() == actual.size(),
                message + "\nonly in the expected warehouse: " + missing + "\nonly in this one: " + extra);
    }

    /** The sample's hand-made rows with small bulk rows: the whole sample in seconds. */
    public static Path smallSampleInput(Path tmp) {
        Path source = tmp.resolve("source");
        try {
            FileUtils.copyDirectory(Path.of("data-samples/source").toFile(), source.toFile(), f -> !f.getName().equals("bulk.csv"));
            Files.writeString(source.resolve("bulk.csv"), """
                    table,site_id,count,id_format,consumer_format,sender_role,channel,at
                    messages,s-kolkata,30,k-msg-%06d,c-k%04d,CONSUMER,WEB,2026-10-12T06:00:00Z
                    function_invocations,s-functions,40,inv-f-%06d,,,,2026-10-14T10:00:00Z
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path input = tmp.resolve("input");
        new SampleInputBuilder(TestSpark.session()).build(source, input);
        return input;
    }
}
