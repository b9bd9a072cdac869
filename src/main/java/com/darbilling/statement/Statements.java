package com.darbilling.statement;

import com.darbilling.output.DeltaWriter;
import com.darbilling.storage.Location;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The statement command: reads the month from the tables, renders a page per site and the index
 * into a temporary folder next to {@code --out}, then moves it into place. A refused or failed
 * statement leaves no folder behind; an earlier statement folder at {@code --out} is replaced whole.
 * Every site's pages share one script file (ECharts is 650 KB: inlined, a 500-site month took
 * 320 MB); the page of {@code --site}, which is mailed on its own, inlines it.
 */
public final class Statements {
    /** What a statement folder holds, so that one is recognised before it is replaced. */
    public static final String INDEX = "index.html";

    private Statements() {
    }

    /** Checks made before Spark starts: --out may be replaced, and its parent exists. */
    public static void checkOut(Path out) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new StatementException("--out: the folder " + parent + " does not exist");
        }
        if (Files.exists(out) && !(Files.isDirectory(out) && (Files.exists(out.resolve(INDEX)) || isEmpty(out)))) {
            throw new StatementException("--out: " + out + " exists and is not a statement folder (no " + INDEX + "): refusing to replace it");
        }
    }

    /** @return the number of site pages written (the warehouse on any store; the pages on local disk) */
    public static int write(SparkSession spark, Location warehouse, YearMonth month, Optional<String> site, Path out, PrintStream report) {
        checkOut(out);
        StatementTables.Month data = new StatementTables(new DeltaWriter(spark, warehouse), warehouse.toString()).read(month, site);
        ChartScript script = site.isPresent() ? ChartScript.inlined() : ChartScript.sharedFile();
        Map<String, String> files = new LinkedHashMap<>();
        data.sites().forEach(s -> files.put(s.siteId(), fileName(s.siteId(), month)));
        Path target = out.toAbsolutePath();
        Path temporary = target.resolveSibling("." + target.getFileName() + ".writing-" + ProcessHandle.current().pid());
        try {
            delete(temporary);
            Files.createDirectory(temporary);
            if (script.shared()) {
                Files.writeString(temporary.resolve(ChartScript.SHARED_FILE), script.source(), StandardCharsets.UTF_8);
            }
            for (SiteStatement s : data.sites()) {
                Files.writeString(temporary.resolve(files.get(s.siteId())), StatementPage.render(s, data.tableVersions(), script),
                        StandardCharsets.UTF_8);
            }
            Files.writeString(temporary.resolve(INDEX), IndexPage.render(data, files), StandardCharsets.UTF_8);
            replace(temporary, target);
        } catch (IOException e) {
            delete(temporary);
            throw new UncheckedIOException("writing statements to " + out + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            delete(temporary);
            throw e;
        }
        report.println("statement " + month + ": " + data.sites().size() + (data.sites().size() == 1 ? " site page" : " site pages")
                + (script.shared() ? ", their script " + ChartScript.SHARED_FILE + "," : " (self-contained)") + " and " + INDEX + " in " + target);
        return data.sites().size();
    }

    /** "s-kolkata-2026-10.html"; characters other than letters, digits, '.', '-' and '_' as _XXXX. */
    static String fileName(String siteId, YearMonth month) {
        StringBuilder name = new StringBuilder();
        for (char c : siteId.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
                name.append(c);
            } else {
                name.append(String.format("_%04x", (int) c));
            }
        }
        return name + "-" + month + ".html";
    }

    /** Moves the finished folder into place; an older statement folder there is moved aside first, then deleted. */
    private static void replace(Path finished, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + ProcessHandle.current().pid());
            delete(old);
            move(target, old);
        }
        move(finished, target);
        if (old != null) {
            delete(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
