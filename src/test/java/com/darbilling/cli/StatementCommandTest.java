package com.darbilling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.job.Commands;
import com.darbilling.plan.PlanCatalog;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.statement.StatementException;
import com.darbilling.statement.Statements;
import com.darbilling.storage.Location;
import com.darbilling.testing.Browser;
import com.darbilling.testing.Dom;
import com.darbilling.testing.MarkdownTables;
import com.darbilling.testing.TestSpark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements of the sample month (data-samples/, reprocessed as the demo does) hold the figures
 * worked out by hand in data-samples/README.md, in the files as written and in the DOM of a real
 * browser (Debian's headless chromium): every chart drawn, no console message, a screenshot that
 * is not blank. The statement command runs through Main, as jobs/billing runs it. The month's folder
 * draws its charts from the one shared script beside the pages; the page of --site draws them
 * alone, copied into an empty folder.
 */
class StatementCommandTest {
    private static final Path SAMPLES = Path.of("data-samples");
    private static final Path README = SAMPLES.resolve("README.md");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final String SECRET = "test-key-0123456789abcdef";
    /** Screenshots and DOM dumps stay here for a person to look at. */
    private static final Path EVIDENCE = Path.of("target", "statement-check");

    @TempDir
    static Path tmp;
    private static Path warehouse;
    private static Path statements;
    private static String commandOutput;

    @BeforeAll
    static void reprocessTheSampleMonthAndWriteItsStatements() {
        warehouse = tmp.resolve("warehouse");
        new Commands(TestSpark.session(), Location.of(SAMPLES.resolve("input")), Location.of(warehouse), PlanCatalog.load(SAMPLES.resolve("plan-catalog.json")),
                PseudonymKey.of(SECRET), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .reprocess(OCTOBER, Optional.of(Instant.parse("2026-11-01T00:00:00Z")), "--month 2026-10");
        statements = tmp.resolve("statements");
        MainRunner.Outcome run = cli("statement", "--warehouse", warehouse.toString(), "--month", "2026-10", "--out", statements.toString());
        assertEquals(0, run.exit(), run.err());
        commandOutput = run.out();
    }

    /**
     * The command line, in this JVM: Main.run as jobs/billing calls it. The command finds the tests'
     * Spark session already started and leaves it running; the settings keep its small test sizes.
     */
    private static MainRunner.Outcome cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "spark.sql.shuffle.partitions=2", "--conf", "spark.databricks.delta.snapshotPartitions=2"));
        TestSpark.session();
        return MainRunner.run(all.toArray(String[]::new));
    }

    private static Dom page(String file) throws IOException {
        return new Dom(Files.readString(statements.resolve(file)));
    }

    /** "2101" -> "2,101"; "1365.00" -> "1,365.00"; fractions as written. */
    private static String grouped(String number) {
        String[] parts = number.split("\\.");
        String whole = String.format(Locale.ROOT, "%,d", Long.parseLong(parts[0]));
        return parts.length == 1 ? whole : whole + "." + parts[1];
    }

    @Test
    void theCommandWritesAPagePerSiteAndAnIndexAndSaysSo() throws IOException {
        List<String> sites = MarkdownTables.table(README, "## Expected DARs per site, 2026-10").stream().map(r -> r.get(0)).sorted().toList();
        try (Stream<Path> files = Files.list(statements)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> expected = new ArrayList<>(sites.stream().map(s -> s + "-2026-10.html").toList());
            expected.add("index.html");
            expected.add("statement.js");
            assertEquals(expected.stream().sorted().toList(), names);
        }
        assertTrue(commandOutput.contains("statement 2026-10: " + sites.size() + " site pages, their script statement.js, and index.html in "
                + statements), commandOutput);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".statements")), "no temporary folder is left");
        }
    }

    @Test
    void pagesAsWrittenHoldTheHandWorkedFigures() throws IOException {
        checkHandWorkedFigures(new Dom(Files.readString(statements.resolve("index.html"))), page("s-kolkata-2026-10.html"),
                page("s-upgrade-2026-10.html"));
        for (String file : new String[]{"index.html", "s-kolkata-2026-10.html", "s-mover-2026-10.html"}) {
            String html = Files.readString(statements.resolve(file));
            assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), file + " must not load anything");
            assertFalse(html.contains("<link"), file + " must not load anything");
        }
        // A folder's site page loads the shared script by its relative path and runs no inline script: its own data is JSON.
        String kolkata = Files.readString(statements.resolve("s-kolkata-2026-10.html"));
        assertEquals(List.of("<script type=\"application/json\" id=\"statement-data\">", "<script src=\"statement.js\">"), scriptTags(kolkata));
        assertTrue(kolkata.contains("content=\"default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:\""), kolkata);
        assertTrue(kolkata.length() < 40_000, "the page without ECharts: " + kolkata.length() + " characters");
        assertTrue(Files.size(statements.resolve("statement.js")) > 600_000, "ECharts is in the shared file");
        // Nothing names an end user: DARs are counted, never listed.
        assertFalse(Files.readString(statements.resolve("s-newyork-2026-10.html")).contains("73c698897d575039e146dd921001671bfc1f89daca5ae79fbd31c6226e6de5e6"));
    }

    /** The opening tags of a page's script elements, in page order. */
    private static List<String> scriptTags(String html) {
        return Pattern.compile("<script\\b[^>]*>").matcher(html).results().map(MatchResult::group).toList();
    }

    /** The page's markup without the text of its script elements (a script's own text may name anything). */
    private static String withoutScriptText(String html) {
        return html.replaceAll("(?s)(<script\\b[^>]*>).*?</script>", "$1</script>");
    }

    @Test
    void theSitePageOfSiteOptionIsSelfContainedAndDrawsItsChartsAlone() throws Exception {
        Path single = tmp.resolve("single");
        MainRunner.Outcome run = cli("statement", "--warehouse", warehouse.toString(), "--month", "2026-10", "--site", "s-kolkata", "--out",
                single.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("statement 2026-10: 1 site page (self-contained) and index.html in " + single), run.out());
        try (Stream<Path> files = Files.list(single)) {
            assertEquals(List.of("index.html", "s-kolkata-2026-10.html"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String html = Files.readString(single.resolve("s-kolkata-2026-10.html"));
        // No reference outside the page: no src, href, link, url() or @import in its markup, scripts inlined.
        String markup = withoutScriptText(html);
        for (String reference : List.of("src=", "href=", "<link", "url(", "@import")) {
            assertFalse(markup.contains(reference), "the page refers to something outside it: " + reference);
        }
        assertEquals(List.of("<script type=\"application/json\" id=\"statement-data\">", "<script>"), scriptTags(html));
        assertTrue(html.length() > 600_000, "ECharts is inlined: " + html.length() + " characters");
        assertTrue(html.matches("(?s).*content=\"default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]{43}='; style-src 'unsafe-inline'; "
                + "img-src data:\".*"), "the inlined script is allowed by its hash, nothing else");
        Dom page = new Dom(html);
        assertEquals("2,101", page.one("dars"));
        assertEquals("2 blocks = 78.00 USD", page.one("overage"));

        // Mailed: alone in a folder, the page draws its charts (needs chromium).
        Path chromium = chromium();
        Path mailed = Files.createDirectories(tmp.resolve("mailed"));
        Files.copy(single.resolve("s-kolkata-2026-10.html"), mailed.resolve("statement.html"));
        Browser.Result dump = Browser.dumpDom(chromium, mailed.resolve("statement.html"), tmp.resolve("profile-mailed"));
        Files.createDirectories(EVIDENCE);
        Files.writeString(EVIDENCE.resolve("mailed-s-kolkata.dom.html"), dump.dom());
        assertEquals(List.of(), dump.console(), "the browser console must stay silent");
        Dom dom = new Dom(dump.dom());
        assertFalse(dom.bodyTag().contains("data-errors"), dom.bodyTag());
        assertTrue(dom.bodyTag().contains("data-charts=\"2\""), "both charts drawn: " + dom.bodyTag());
        assertTrue(marks(dom.svgOf("chart-daily"), "fill=\"#2456a6\"") >= 2, "bars drawn");
        assertEquals("2,101", dom.one("dars"));
    }

    /** Debian's chromium, or the test is skipped (never on CI). */
    private static Path chromium() {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        if (chromium == null) {
            assertFalse("true".equals(System.getenv("CI")), "CI must have chromium: .ci/run installs it (apt-get install -y chromium)");
            Assumptions.abort("no chromium here (apt-get install -y chromium): the browser check is skipped");
        }
        return chromium;
    }

    /** The index, s-kolkata and s-upgrade against data-samples/README.md. */
    private static void checkHandWorkedFigures(Dom index, Dom kolkata, Dom upgrade) {
        for (List<String> r : MarkdownTables.table(README, "## Expected DARs per site, 2026-10")) {
            assertEquals(grouped(r.get(1)), index.inRow("data-site", r.get(0), "dars"), r.get(0));
        }
        assertEquals("78.00 USD", index.inRow("data-site", "s-kolkata", "overage"));
        assertEquals("78.00 USD", index.inRow("data-site", "s-kolkata", "total"));
        // s-upgrade: 39.00 overage under starter, credits 0.30 + 0.06 + 0.10 under growth.
        assertEquals("39.46 USD", index.inRow("data-site", "s-upgrade", "total"));
        for (List<String> r : MarkdownTables.table(README, "### Quarantined rows by reason, 2026-10")) {
            assertEquals(r.get(2), index.inRow("data-reason", r.get(0) + " " + r.get(1), "rows"), r.toString());
        }

        assertEquals("2,101", kolkata.one("dars"));
        assertEquals("2 blocks = 78.00 USD", kolkata.one("overage"));
        assertEquals("Asia/Kolkata", kolkata.one("zone"));
        assertEquals(List.of("2,000"), kolkata.all("segment-included"));
        assertEquals("968", upgrade.all("segment-included").get(0));
        assertEquals("2,581", upgrade.all("segment-included").get(1));
        assertEquals(List.of("1,000", "3"), upgrade.all("segment-dars"));
        Map<String, Dom> pages = Map.of("s-kolkata", kolkata, "s-upgrade", upgrade);
        for (List<String> r : MarkdownTables.table(README, "## Expected invoice lines, 2026-10")) {
            Dom page = pages.get(r.get(0));
            if (page == null) {
                continue;
            }
            String line = r.get(1) + " " + r.get(2) + " " + r.get(3);
            assertEquals(grouped(r.get(4)), page.inRow("data-line", line, "quantity"), line);
            assertEquals(r.get(5).equals("-") ? "–" : r.get(5) + " " + r.get(7), page.inRow("data-line", line, "unit-price"), line);
            assertEquals(r.get(6).equals("-") ? "–" : grouped(r.get(6)) + " " + r.get(7), page.inRow("data-line", line, "amount"), line);
        }
        for (List<String> r : MarkdownTables.table(README, "## Expected credit usage, 2026-10")) {
            Dom page = pages.get(r.get(0));
            if (page != null) {
                assertEquals(grouped(r.get(3)), page.inRow("data-category", r.get(1), "credits"), r.toString());
            }
        }
        assertEquals("1", upgrade.one("invoice-version"));
        assertEquals("DRAFT", upgrade.one("invoice-status"));
        assertEquals("2026-11-01 00:00:00 UTC", upgrade.one("as-of"));
    }

    @Test
    void theIndexAgreesWithTheDarTable() throws IOException {
        Dom index = new Dom(Files.readString(statements.resolve("index.html")));
        Map<String, Long> dars = new HashMap<>();
        for (Row r : TestSpark.session().read().format("delta").load(warehouse.resolve("daily_active_relationships").toString())
                .groupBy("site_id").count().collectAsList()) {
            dars.put(r.getString(0), r.getLong(1));
        }
        dars.forEach((site, n) -> assertEquals(String.format(Locale.ROOT, "%,d", n), index.inRow("data-site", site, "dars"), site));
    }

    @Test
    void whatCannotBeStatedIsRefusedWithoutLeavingAFolder() throws Exception {
        DeltaLike tables = new DeltaLike(warehouse);
        Path out = tmp.resolve("refused");
        StatementException noMonth = assertThrows(StatementException.class, () -> tables.write(YearMonth.of(2026, 12), Optional.empty(), out));
        assertEquals("no billing data for 2026-12 in warehouse " + warehouse + " (months with data: 2026-10)", noMonth.getMessage());
        StatementException noSite = assertThrows(StatementException.class, () -> tables.write(OCTOBER, Optional.of("s-ghost"), out));
        assertTrue(noSite.getMessage().startsWith("site s-ghost has no billing data in 2026-10 in warehouse " + warehouse
                + " (sites of the month: s-functions, s-kathmandu, s-kolkata"), noSite.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty-warehouse"));
        StatementException noTables = assertThrows(StatementException.class, () -> new DeltaLike(empty).write(OCTOBER, Optional.empty(), out));
        assertEquals("warehouse " + empty + " has no invoice_lines table: not a billing warehouse, or no run has written it yet",
                noTables.getMessage());
        Files.writeString(tmp.resolve("a-file"), "x");
        assertThrows(StatementException.class, () -> tables.write(OCTOBER, Optional.empty(), tmp.resolve("a-file")));
        assertFalse(Files.exists(out));
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".refused")), "no temporary folder is left");
        }

        // As an operator sees it: exit code 2, one line on stderr, no folder.
        MainRunner.Outcome unknownSite = cli("statement", "--warehouse", warehouse.toString(), "--month", "2026-10", "--site", "s-ghost", "--out", out.toString());
        assertEquals(2, unknownSite.exit());
        assertEquals(List.of("billing: " + noSite.getMessage()), unknownSite.err().lines().toList());
        assertFalse(Files.exists(out));
        MainRunner.Outcome noWarehouse = cli("statement", "--warehouse", tmp.resolve("nowhere").toString(), "--month", "2026-10", "--out", out.toString());
        assertEquals(2, noWarehouse.exit());
        assertEquals(List.of("billing: --warehouse: " + tmp.resolve("nowhere") + " does not exist or is not a directory"),
                noWarehouse.err().lines().toList());
        MainRunner.Outcome badMonth = cli("statement", "--warehouse", warehouse.toString(), "--month", "2026-13", "--out", out.toString());
        assertEquals(2, badMonth.exit());
        assertEquals(List.of("billing: --month expects YYYY-MM, found '2026-13'"), badMonth.err().lines().toList());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    /** Statements.write on a warehouse, with the tests' session. */
    private record DeltaLike(Path warehouse) {
        void write(YearMonth month, Optional<String> site, Path out) {
            Statements.write(TestSpark.session(), Location.of(warehouse), month, site, out, new PrintStream(new ByteArrayOutputStream()));
        }
    }

    @Test
    void aRealBrowserDrawsEveryChartAndShowsTheSameFigures() throws Exception {
        Path chromium = chromium();
        Files.createDirectories(EVIDENCE);
        Map<String, Dom> doms = new HashMap<>();
        for (String file : List.of("index.html", "s-kolkata-2026-10.html", "s-upgrade-2026-10.html")) {
            Browser.Result dump = Browser.dumpDom(chromium, statements.resolve(file), tmp.resolve("profile-" + file));
            Files.writeString(EVIDENCE.resolve(file + ".dom.html"), dump.dom());
            assertEquals(List.of(), dump.console(), file + ": the browser console must stay silent");
            Dom dom = new Dom(dump.dom());
            assertFalse(dom.bodyTag().contains("data-errors"), file + ": " + dom.bodyTag());
            if (file.equals("index.html")) {
                assertTrue(dom.bodyTag().contains("data-sortable=\"ready\""), dom.bodyTag());
            } else {
                assertTrue(dom.bodyTag().contains("data-charts=\"2\""), file + ": both charts drawn: " + dom.bodyTag());
                // Marks in the series colours: bars of the first segment, its cumulative line, its dashed allowance.
                String daily = dom.svgOf("chart-daily");
                String cumulative = dom.svgOf("chart-cumulative");
                assertTrue(marks(daily, "fill=\"#2456a6\"") >= 2, file + ": bars drawn"); // a bar and the legend's swatch
                assertTrue(marks(cumulative, "stroke=\"#2456a6\"") >= 2, file + ": lines drawn");
                assertTrue(cumulative.contains("stroke-dasharray"), file + ": the allowance is drawn dashed");
            }
            doms.put(file, dom);
        }
        checkHandWorkedFigures(doms.get("index.html"), doms.get("s-kolkata-2026-10.html"), doms.get("s-upgrade-2026-10.html"));

        Path screenshot = EVIDENCE.resolve("s-kolkata-2026-10.png");
        Browser.screenshot(chromium, statements.resolve("s-kolkata-2026-10.html"), screenshot, tmp.resolve("profile-screenshot"));
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertTrue(image.getWidth() >= 1000 && image.getHeight() >= 1000, image.getWidth() + "x" + image.getHeight());
        assertTrue(notBackground(image) > 0.05, "the screenshot is blank: " + notBackground(image));
    }

    private static int marks(String svg, String attribute) {
        int n = 0;
        for (int i = svg.indexOf(attribute); i >= 0; i = svg.indexOf(attribute, i + 1)) {
            n++;
        }
        return n;
    }

    /** The share of pixels that differ from the page's most common colour. */
    private static double notBackground(BufferedImage image) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                counts.merge(image.getRGB(x, y), 1, Integer::sum);
            }
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int background = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return (total - background) / (double) total;
    }
}
