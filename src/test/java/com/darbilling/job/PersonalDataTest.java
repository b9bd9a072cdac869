package com.darbilling.job;

import static com.darbilling.testing.InputRoots.plan;
import static com.darbilling.testing.InputRoots.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import com.darbilling.output.DeltaWriter;
import com.darbilling.output.OutputTables;
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
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End users' ids never leave the run in clear: for every input table and every quarantine reason,
 * rows carry recognisable end-user ids (consumer_id, the sender_id of a consumer message, a
 * conversation_id or function_id embedding one); after reprocess and after nightly no file under
 * the warehouse (data, Delta logs, checkpoints, _billing_state) and no line the run prints holds one.
 */
class PersonalDataTest {
    private static final PseudonymKey KEY = PseudonymKey.of("test-key-0123456789abcdef");
    /** Cutoff 2026-10-31T00:00Z: the 12:00Z message of 10-31 is TIMESTAMP_OUT_OF_RANGE. */
    private static final Optional<Instant> AS_OF = Optional.of(Instant.parse("2026-10-30T00:00:00Z"));
    private static final String T = "2026-10-10T10:00:00Z";

    @TempDir
    static Path tmp;
    private static Path input;
    /** Every end user's id in the input, by the row that carries it. */
    private static final Map<String, String> END_USERS = new TreeMap<>();

    private static String endUser(String row) {
        String id = END_USERS.size() % 2 == 0 ? "+1555010" + String.format("%04d", END_USERS.size()) : "person" + END_USERS.size() + "@example.org";
        END_USERS.put(row, id);
        return id;
    }

    /** A message whose consumer_id, sender_id (unless a platform user is given) and conversation_id carry one end user's id. */
    private static Row message(String id, String site, String role, String platformSender, String channel, String sentAt,
                               String eventDate) {
        String person = endUser(id);
        return RowFactory.create(id, site, "conversation with " + person, person, role, platformSender == null ? person : platformSender,
                channel, Instant.parse(sentAt), LocalDate.parse(eventDate));
    }

    private static Row message(String id, String site, String role, String channel, String sentAt) {
        return message(id, site, role, null, channel, sentAt, sentAt.substring(0, 10));
    }

    @BeforeAll
    static void inputWithEndUsersInEveryRejectedShape() {
        List<Row> messages = List.of(
                message("accepted", "s", "CONSUMER", "WEB", T),
                message("accepted-agent", "s", "AGENT", "agent-7", "WEB", T, "2026-10-10"),
                message("system", "s", "SYSTEM", "WEB", T),
                message("missing-channel", "s", "CONSUMER", null, T),
                message("missing-role", "s", null, "WEB", T),
                message("unknown-site", "nowhere", "CONSUMER", "WEB", T),
                message("invalid-zone", "s-est", "CONSUMER", "WEB", T),
                message("unknown-channel", "s", "CONSUMER", "web", T),
                message("system-unknown-channel", "s", "SYSTEM", "web", T),
                message("agent-unknown-channel", "s", "AGENT", "agent-8", "web", T, "2026-10-10"),
                message("unknown-role", "s", "Consumer", "WEB", T),
                message("after-cutoff", "s", "CONSUMER", "WEB", "2026-10-31T12:00:00Z"),
                message("before-2000", "s", "CONSUMER", "WEB", "1999-12-31T12:00:00Z"),
                message("misfiled", "s", "CONSUMER", null, "WEB", T, "2026-10-09"));
        input = InputRoots.withMessages(tmp.resolve("input"), messages, List.of(site("s", "UTC"), site("s-est", "EST")),
                List.of(plan("s", "starter", null, null)));
        InputRoots.write(input.resolve(Inputs.COBROWSE_SESSIONS), TestSpark.session().createDataFrame(List.of(
                RowFactory.create("sess-ok", "s", Instant.parse(T), true),
                RowFactory.create("sess-missing", "s", Instant.parse(T), null),
                RowFactory.create("sess-unknown-site", "nowhere", Instant.parse(T), true),
                RowFactory.create("sess-invalid-zone", "s-est", Instant.parse(T), true),
                RowFactory.create("sess-after-cutoff", "s", Instant.parse("2026-10-31T12:00:00Z"), true)),
                EventSource.COBROWSE_SESSIONS.schema()), false);
        InputRoots.write(input.resolve(Inputs.FUNCTION_INVOCATIONS), TestSpark.session().createDataFrame(List.of(
                RowFactory.create("inv-ok", "s", "fn for " + endUser("inv-ok"), Instant.parse(T), LocalDate.parse("2026-10-10")),
                RowFactory.create("inv-missing", "s", "fn for " + endUser("inv-missing"), null, LocalDate.parse("2026-10-10")),
                RowFactory.create("inv-unknown-site", "nowhere", "fn for " + endUser("inv-unknown-site"), Instant.parse(T),
                        LocalDate.parse("2026-10-10")),
                RowFactory.create("inv-misfiled", "s", "fn for " + endUser("inv-misfiled"), Instant.parse(T),
                        LocalDate.parse("2026-10-11"))),
                EventSource.FUNCTION_INVOCATIONS.schema().add(Inputs.EVENT_DATE, DataTypes.DateType)), true);
    }

    private static Commands commands(Path warehouse, ByteArrayOutputStream printed) {
        return new Commands(TestSpark.session(), Location.of(input), Location.of(warehouse), Catalogs.starterAndGrowth("0.10"), KEY,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Test
    void reprocessWritesAndPrintsNoEndUserIdInClear() throws IOException {
        Path warehouse = tmp.resolve("reprocess");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        commands(warehouse, printed).reprocess(YearMonth.of(2026, 10), AS_OF, "--month 2026-10");

        List<String> reasons = new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.QUARANTINE)
                .select("reason").distinct().orderBy("reason").collectAsList().stream().map(r -> r.getString(0)).toList();
        assertEquals(List.of("INVALID_TIME_ZONE", "MISSING_REQUIRED_FIELD", "PARTITION_MISMATCH", "TIMESTAMP_OUT_OF_RANGE",
                "UNKNOWN_CHANNEL", "UNKNOWN_SENDER_ROLE", "UNKNOWN_SITE"), reasons, "every reason is exercised");
        assertNoEndUserInClear(warehouse, printed);
        assertRecordsHoldPseudonymsAndPlatformUsers(warehouse);
    }

    @Test
    void nightlyWritesAndPrintsNoEndUserIdInClear() throws IOException {
        Path warehouse = tmp.resolve("nightly");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        commands(warehouse, printed).nightly(Optional.empty(), AS_OF, "nightly");

        assertTrue(new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.QUARANTINE)
                .where("record LIKE '%\"message_id\":\"before-2000\"%'").count() == 1, "the 1999 row is read and quarantined");
        assertNoEndUserInClear(warehouse, printed);
        assertRecordsHoldPseudonymsAndPlatformUsers(warehouse);
    }

    /** Quarantine records: pseudonyms for end users, platform users' ids kept, no conversation_id or function_id. */
    private static void assertRecordsHoldPseudonymsAndPlatformUsers(Path warehouse) {
        Map<String, String> records = new TreeMap<>();
        new DeltaWriter(TestSpark.session(), Location.of(warehouse)).read(OutputTables.QUARANTINE).collectAsList()
                .forEach(r -> records.put(r.<String>getAs("record").replaceAll(".*\"(message|session|invocation)_id\":\"([^\"]*)\".*", "$2"),
                        r.getAs("record")));
        String person = END_USERS.get("unknown-channel");
        String pseudonym = KEY.pseudonym("s", person);
        assertTrue(records.get("unknown-channel").contains("\"consumer_id\":\"" + pseudonym + "\""), records.get("unknown-channel"));
        assertTrue(records.get("unknown-channel").contains("\"sender_id\":\"" + pseudonym + "\""), records.get("unknown-channel"));
        assertTrue(records.get("system-unknown-channel").contains("\"sender_id\":\"" + KEY.pseudonym("s", END_USERS.get("system-unknown-channel")) + "\""));
        assertTrue(records.get("agent-unknown-channel").contains("\"sender_id\":\"agent-8\""), records.get("agent-unknown-channel"));
        assertTrue(records.get("unknown-role").contains("\"sender_id\":\"" + KEY.pseudonym("s", END_USERS.get("unknown-role")) + "\""));
        for (String record : records.values()) {
            assertFalse(record.contains("conversation_id") || record.contains("function_id"), record);
        }
        assertEquals("{\"invocation_id\":\"inv-unknown-site\",\"site_id\":\"nowhere\",\"invoked_at\":\"2026-10-10T10:00:00.000Z\","
                + "\"event_date\":\"2026-10-10\"}", records.get("inv-unknown-site"));
    }

    private static void assertNoEndUserInClear(Path warehouse, ByteArrayOutputStream printed) throws IOException {
        List<String> found = new ArrayList<>();
        String report = printed.toString(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(warehouse)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                String decoded = file.toString().endsWith(".parquet")
                        ? TestSpark.session().read().parquet(file.toString()).collectAsList().toString() : "";
                END_USERS.forEach((row, id) -> {
                    if (bytes.contains(id) || decoded.contains(id)) {
                        found.add(id + " (row " + row + ") in " + warehouse.relativize(file));
                    }
                });
            }
        }
        END_USERS.forEach((row, id) -> {
            if (report.contains(id)) {
                found.add(id + " (row " + row + ") in the run's report");
            }
        });
        assertTrue(found.isEmpty(), "end-user ids in clear: " + found);
        assertTrue(END_USERS.size() >= 18, "the fixture carries an end user in every row");
    }
}
