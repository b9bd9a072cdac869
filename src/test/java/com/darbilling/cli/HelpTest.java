package com.darbilling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The usage names every command with its options, and each command answers --help. No Spark. */
class HelpTest {
    /** Each command record, by its name on the command line, with the options its usage must list. */
    private static final List<List<String>> USAGES = List.of(
            List.of("reprocess", "--input DIR", "--warehouse DIR", "--month YYYY-MM", "--as-of INSTANT", "--plans FILE",
                    "--pseudonym-key-file FILE", "--dry-run"),
            List.of("nightly", "--input DIR", "--warehouse DIR", "--date YYYY-MM-DD", "--as-of INSTANT", "--plans FILE",
                    "--pseudonym-key-file FILE"),
            List.of("close", "--warehouse DIR", "--month YYYY-MM"),
            List.of("maintain", "--warehouse DIR", "--retain DAYS"),
            List.of("statement", "--warehouse DIR", "--month YYYY-MM", "--site SITE_ID", "--out DIR"),
            List.of("demo"),
            List.of("pseudonym", "--site SITE_ID", "--consumer CONSUMER_ID", "--pseudonym-key-file FILE"));

    @Test
    void everyCommandRecordHasItsUsage() {
        List<String> records = Arrays.stream(Command.class.getPermittedSubclasses())
                .map(c -> c.getSimpleName().toLowerCase(Locale.ROOT)).sorted().toList();
        assertEquals(records, USAGES.stream().map(u -> u.get(0)).sorted().toList());
        assertEquals(records, CommandLine.COMMANDS.stream().sorted().toList());
    }

    @Test
    void helpListsEachCommandWithItsOptions() {
        String help = MainRunner.run("--help").out();
        for (List<String> usage : USAGES) {
            String command = usage.get(0);
            String section = section(help, command);
            for (String option : usage.subList(1, usage.size())) {
                assertTrue(section.contains(option), command + " lacks " + option + ":\n" + section);
            }
        }
        for (String common : List.of("--master URL", "--conf key=value", "--verbose", "--help")) {
            assertTrue(help.contains(common), common);
        }
        for (String tool : CommandLine.TOOLS) {
            assertTrue(help.contains(tool), "--help says where " + tool + " went");
        }
    }

    @Test
    void eachCommandAnswersHelpWithTheUsage() {
        for (List<String> usage : USAGES) {
            MainRunner.Outcome outcome = MainRunner.run(usage.get(0), "--help");
            assertEquals(0, outcome.exit(), usage.get(0));
            assertEquals("", outcome.err(), usage.get(0));
            assertTrue(outcome.out().contains("Command: " + usage.get(0)), usage.get(0));
        }
    }

    /** The lines of {@code command}'s part of the usage, up to the next command. */
    private static String section(String help, String command) {
        int start = help.indexOf("Command: " + command);
        assertTrue(start >= 0, "no usage for " + command + ":\n" + help);
        int end = help.indexOf("Command: ", start + 1);
        return help.substring(start, end < 0 ? help.length() : end);
    }
}
