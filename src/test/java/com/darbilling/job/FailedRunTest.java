package com.darbilling.job;

import static com.darbilling.testing.Fixtures.consumer;
import static com.darbilling.testing.InputRoots.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.privacy.PseudonymKey;
import com.darbilling.storage.Location;
import com.darbilling.testing.Catalogs;
import com.darbilling.testing.InputRoots;
import com.darbilling.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference-data problems stop the run before anything is written: the warehouse stays byte for byte. */
class FailedRunTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final List<Row> MESSAGES = List.of(consumer("m1", "s", "ann", "2026-10-10T10:00:00Z"));

    @TempDir
    static Path tmp;
    private static Path warehouse;

    private static Commands commands(Path input, Path warehouse) {
        return new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), Catalogs.starterAndGrowth("0.10"),
                PseudonymKey.of("test-key-0123456789abcdef"), new PrintStream(new ByteArrayOutputStream()));
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(f))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    /** One good run that every test's bad run must leave as it found it. */
    @BeforeAll
    static void goodRun() {
        warehouse = tmp.resolve("warehouse");
        commands(InputRoots.withMessages(tmp.resolve("good"), MESSAGES, List.of(site("s", "UTC")),
                List.of(plan("s", "starter", null, null))), warehouse).reprocess(OCTOBER, "good");
    }

    private static void assertFailsAndChangesNothing(List<Row> sites, List<Row> plans, String expectedMessage) throws IOException {
        Map<String, String> before = contents(warehouse);
        Path bad = InputRoots.withMessages(tmp.resolve("bad-" + before.size() + expectedMessage.hashCode()), MESSAGES, sites, plans);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands(bad, warehouse).reprocess(OCTOBER, "bad"));
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
        assertEquals(before, contents(warehouse));
    }

    @Test
    void overlappingPlanAssignments() throws IOException {
        assertFailsAndChangesNothing(List.of(site("s", "UTC")),
                List.of(plan("s", "starter", null, "2026-10-20"), plan("s", "growth", "2026-10-15", null)),
                "site_plans: site s has overlapping plan assignments");
    }

    @Test
    void aPlanMissingFromTheCatalog() throws IOException {
        assertFailsAndChangesNothing(List.of(site("s", "UTC")), List.of(plan("s", "platinum", null, null)),
                "site_plans: site s: plan platinum is not in the plan catalog");
    }

    @Test
    void twoZoneRowsWithTheSameEffectiveFrom() throws IOException {
        assertFailsAndChangesNothing(List.of(site("s", "UTC"), site("s", "Europe/Paris")), List.of(plan("s", "starter", null, null)),
                "sites: site s has two zone rows with effective_from null");
    }
}
