package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.contract.Inputs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.WarehouseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty sites/ or site_plans/ is a failed export: billing with it would replace every site's
 * invoice by nothing. Refused in preflight: exit 2, one line naming the folder, nothing written or created.
 */
class EmptyReferenceDataTest {
    private static final Map<String, String> KEY = Map.of("BILLING_PSEUDONYM_KEY", "test-key-0123456789abcdef");

    @TempDir
    Path tmp;

    private static void assertRefused(MainRunner.Outcome outcome, String folder) {
        assertEquals(2, outcome.exit(), outcome.err() + outcome.out());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("--input: " + folder + "/ ("), outcome.err());
        assertTrue(outcome.err().contains(") has no rows: no Parquet data file, or files with zero rows"), outcome.err());
    }

    @Test
    void aSitesFolderWithoutFilesOrSitePlansWithZeroRowsIsRefusedWithNothingWritten() throws IOException {
        Path input = InputRoots.withMessages(tmp.resolve("input"), List.of(consumer("m-1", "s", "ann", "2026-10-10T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
        Path warehouse = tmp.resolve("warehouse");
        String[] reprocess = {"reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", "2026-11-01T00:00:00Z"};
        assertEquals(0, MainRunner.run(KEY, reprocess).exit());
        Map<String, String> billed = WarehouseFiles.contents(warehouse);

        FileUtils.cleanDirectory(input.resolve(Inputs.SITES).toFile());
        assertRefused(MainRunner.run(KEY, reprocess), Inputs.SITES);
        assertEquals(billed, WarehouseFiles.contents(warehouse), "the month's invoice lines are still there, byte for byte");

        InputRoots.write(input.resolve(Inputs.SITES), TestSpark.session().createDataFrame(List.of(site("s", "UTC")), InputRoots.SITES), false);
        InputRoots.write(input.resolve(Inputs.SITE_PLANS), TestSpark.session().createDataFrame(List.of(), InputRoots.SITE_PLANS), false);
        Path fresh = tmp.resolve("fresh-warehouse");
        assertRefused(MainRunner.run(KEY, "nightly", "--input", input.toString(), "--warehouse", fresh.toString()), Inputs.SITE_PLANS);
        assertFalse(Files.exists(fresh), "a refused run creates no warehouse");
    }
}
