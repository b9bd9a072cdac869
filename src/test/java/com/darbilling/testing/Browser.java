package com.darbilling.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, headless, offline, with a fresh profile: a page's DOM after its scripts ran, its console, a screenshot. */
public final class Browser {
    public record Result(String dom, List<String> console) {
    }

    private Browser() {
    }

    private static List<String> command(Path chromium, Path profile) throws IOException {
        Files.createDirectories(profile);
        return new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--window-size=1280,2600", "--virtual-time-budget=5000"));
    }

    public static Result dumpDom(Path chromium, Path page, Path profile) throws Exception {
        List<String> command = command(chromium, profile);
        command.addAll(List.of("--dump-dom", page.toUri().toString()));
        Path out = Files.createTempFile(profile.getParent(), "dom", ".html");
        Path err = Files.createTempFile(profile.getParent(), "dom", ".log");
        run(command, out, err);
        // Console messages (any level) are logged as "...:INFO:CONSOLE:12] "message", source: ...".
        List<String> console = Files.readAllLines(err).stream().filter(l -> l.matches(".*:CONSOLE[:(].*")).toList();
        return new Result(Files.readString(out), console);
    }

    public static void screenshot(Path chromium, Path page, Path png, Path profile) throws Exception {
        List<String> command = command(chromium, profile);
        command.addAll(List.of("--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()));
        run(command, Files.createTempFile(profile.getParent(), "shot", ".out"), Files.createTempFile(profile.getParent(), "shot", ".log"));
        if (!Files.exists(png)) {
            throw new AssertionError("chromium wrote no screenshot " + png);
        }
    }

    private static void run(List<String> command, Path out, Path err) throws Exception {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(err));
        }
    }
}
