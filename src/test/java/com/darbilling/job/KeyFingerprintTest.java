package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.cli.MainRunner;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.storage.Location;
import com.darbilling.storage.WarehouseLock;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import com.darbilling.testing.WarehouseFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse keeps the fingerprint of the key its pseudonyms were made with; a run with another
 * key is refused before it writes (exit 2), since it would bill every end user it sees a second time.
 */
class KeyFingerprintTest {
    private static final Map<String, String> KEY_A = Map.of("BILLING_PSEUDONYM_KEY", "test-key-0123456789abcdef");
    private static final Map<String, String> KEY_B = Map.of("BILLING_PSEUDONYM_KEY", "another-key-0123456789");
    /** printf 'dar-billing key fingerprint v1' | openssl dgst -sha256 -hmac test-key-0123456789abcdef */
    private static final String FINGERPRINT_A = "c1dc1f98a71f49dfd0718aa94110baa6a2681dc0cb9be186537eaa8ff89baa85";
    private static final String AS_OF = "2026-11-01T00:00:00Z";

    @TempDir
    Path tmp;

    private static long dars(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.DAILY_ACTIVE_RELATIONSHIPS).count();
    }

    /** "label fingerprint" of each row stored. */
    private static List<String> fingerprints(Path warehouse) {
        return new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(StateTables.KEY_FINGERPRINT)
                .select("label", "fingerprint").collectAsList().stream().map(r -> r.getString(0) + " " + r.getString(1)).toList();
    }

    private static void assertRefusedAndUnchanged(Path warehouse, MainRunner.Outcome outcome, Map<String, String> before) {
        assertEquals(2, outcome.exit(), outcome.err() + outcome.out());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("the pseudonym key differs from the one warehouse " + warehouse), outcome.err());
        assertTrue(outcome.err().contains("reprocess every month into a new warehouse with the new key"), outcome.err());
        assertEquals(before, WarehouseFiles.contents(warehouse), "a refused run writes nothing");
        assertEquals(Optional.empty(), WarehouseLock.holder(Location.of(warehouse), new Configuration()), "and leaves no lock");
    }

    @Test
    void anotherKeyIsRefusedBeforeItWritesAndAWarehouseWithoutFingerprintAdoptsTheKeyOfItsNextRun() throws IOException {
        Path input = InputRoots.withMessages(tmp.resolve("input"), List.of(
                        consumer("m-1", "s", "ann", "2026-10-10T10:00:00Z"),
                        consumer("m-2", "s", "bob", "2026-10-11T10:00:00Z")),
                List.of(site("s", "UTC")), List.of(plan("s", "starter", null, null)));
        Path warehouse = tmp.resolve("warehouse");
        String[] reprocess = {"reprocess", "--input", input.toString(), "--warehouse", warehouse.toString(), "--month", "2026-10",
                "--as-of", AS_OF};
        String[] nightly = {"nightly", "--input", input.toString(), "--warehouse", warehouse.toString(), "--as-of", AS_OF};
        assertEquals(0, MainRunner.run(KEY_A, reprocess).exit());
        assertEquals(List.of("dar-billing key fingerprint v1 " + FINGERPRINT_A), fingerprints(warehouse));

        // The late file holds ann again on the same day and carl: with key B, ann would become a second DAR.
        InputRoots.appendMessages(input, List.of(consumer("m-3", "s", "ann", "2026-10-10T11:00:00Z"),
                consumer("m-4", "s", "carl", "2026-10-12T10:00:00Z")));
        Map<String, String> before = WarehouseFiles.contents(warehouse);
        assertRefusedAndUnchanged(warehouse, MainRunner.run(KEY_B, nightly), before);
        assertRefusedAndUnchanged(warehouse, MainRunner.run(KEY_B, reprocess), before);

        MainRunner.Outcome withKeyA = MainRunner.run(KEY_A, nightly);
        assertEquals(0, withKeyA.exit(), withKeyA.err());
        assertEquals(3, dars(warehouse), "ann 10-10, bob 10-11, carl 10-12: ann's second message adds nothing");

        // A warehouse written before fingerprints were kept: its next run records its key, later ones are checked.
        FileUtils.deleteDirectory(warehouse.resolve(StateTables.KEY_FINGERPRINT.name()).toFile());
        MainRunner.Outcome adopting = MainRunner.run(KEY_A, reprocess);
        assertEquals(0, adopting.exit(), adopting.err());
        assertTrue(adopting.out().contains("the warehouse had no pseudonym key fingerprint"), adopting.out());
        assertEquals(List.of("dar-billing key fingerprint v1 " + FINGERPRINT_A), fingerprints(warehouse));
        assertRefusedAndUnchanged(warehouse, MainRunner.run(KEY_B, nightly), WarehouseFiles.contents(warehouse));
        assertEquals(3, dars(warehouse));
    }
}
