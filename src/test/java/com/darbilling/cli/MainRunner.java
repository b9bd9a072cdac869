package com.darbilling.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the command line in this JVM, as jobs/billing would, capturing stdout, stderr and the exit code. The
 * command sees the environment it is given, never the caller's shell (where BILLING_PSEUDONYM_KEY may be set).
 */
public final class MainRunner {
    public record Outcome(int exit, String out, String err) {
    }

    private MainRunner() {
    }

    public static Outcome run(String... args) {
        return run(Map.of(), args);
    }

    public static Outcome run(Map<String, String> env, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Outcome(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
