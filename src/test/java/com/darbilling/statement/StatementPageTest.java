package com.darbilling.statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.projection.Segment;
import com.darbilling.testing.Dom;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A site page rendered from hand-made values, without Spark: a re-rated closed month, and the page's figures. */
class StatementPageTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static InvoiceLine line(int version, InvoiceStatus status, LineType type, LineType adjusted, String quantity, String unitPrice,
                                    String amount) {
        return new InvoiceLine("s-kolkata", "2026-10", version, status, "starter", "2020-09-04", type, adjusted, new BigDecimal(quantity),
                unitPrice == null ? null : new BigDecimal(unitPrice), amount == null ? null : new BigDecimal(amount), "USD");
    }

    /** s-kolkata's October closed at 2 blocks of 39.00, then re-rated with a block price of 40.00: +2.00. */
    private static SiteStatement reRated() {
        List<Segment> segments = List.of(new Segment("starter", "2020-09-04", "USD", dates(1, 31), 31, 2000, 100, new BigDecimal("40.00"),
                150000, 0));
        List<InvoiceLine> lines = new ArrayList<>(List.of(
                line(1, InvoiceStatus.FINAL, LineType.DAR_INCLUDED, null, "2000", null, "0.00"),
                line(1, InvoiceStatus.FINAL, LineType.DAR_OVERAGE, null, "2", "39.00", "78.00"),
                line(1, InvoiceStatus.FINAL, LineType.CREDITS_MESSAGING, null, "2101", null, null),
                line(2, InvoiceStatus.DRAFT, LineType.DAR_INCLUDED, null, "2000", null, "0.00"),
                line(2, InvoiceStatus.DRAFT, LineType.DAR_OVERAGE, null, "2", "40.00", "80.00"),
                line(2, InvoiceStatus.DRAFT, LineType.CREDITS_MESSAGING, null, "2101", null, null),
                line(2, InvoiceStatus.DRAFT, LineType.ADJUSTMENT, LineType.DAR_OVERAGE, "0", null, "2.00")));
        SiteStatement.Run run = new SiteStatement.Run("run-2", "reprocess", "SUCCEEDED", Instant.parse("2026-11-03T00:00:00Z"),
                Instant.parse("2026-11-03T00:05:00Z"));
        return new SiteStatement("s-kolkata", OCTOBER, segments, List.of(new SiteStatement.ZoneSpan("Asia/Kolkata", null)),
                new TreeMap<>(Map.of(OCTOBER.atDay(12), 2101L)), List.of(new SiteStatement.Credit("MESSAGING", 2101, new BigDecimal("2101.0000"))),
                lines, run, run, Map.of("messages UNKNOWN_CHANNEL", 4L), Optional.empty());
    }

    private static List<LocalDate> dates(int from, int to) {
        List<LocalDate> days = new ArrayList<>();
        for (int d = from; d <= to; d++) {
            days.add(OCTOBER.atDay(d));
        }
        return days;
    }

    @Test
    void anAdjustmentStandsNextToTheFinalLineItCorrects() {
        SiteStatement s = reRated();
        assertEquals(2, s.latestVersion());
        assertEquals(Optional.of(InvoiceStatus.DRAFT), s.latestStatus());
        List<SiteStatement.Correction> corrections = s.corrections();
        assertEquals(1, corrections.size());
        assertEquals(new BigDecimal("78.00"), corrections.get(0).finalLine().amount());
        assertEquals(1, corrections.get(0).finalLine().invoiceVersion());
        assertEquals(new BigDecimal("80.00"), corrections.get(0).newLine().amount());

        Dom page = new Dom(StatementPage.render(s, Map.of("invoice_lines", 7L), new ChartScript("/* charts */", true)));
        String row = "starter 2020-09-04 ADJUSTMENT DAR_OVERAGE";
        assertEquals("2 v1 FINAL", page.inRow("data-line", row, "final-quantity"));
        assertEquals("78.00 USD", page.inRow("data-line", row, "final-amount"));
        assertEquals("2.00 USD", page.inRow("data-line", row, "adjustment-amount"));
        assertEquals("80.00 USD", page.inRow("data-line", row, "new-amount"));
        // The invoice table shows version 2 only, its adjustment included.
        assertEquals("80.00 USD", page.inRow("data-line", "starter 2020-09-04 DAR_OVERAGE", "amount"));
        assertEquals("2", page.one("invoice-version"));
        assertEquals("2 blocks = 80.00 USD", page.one("overage"));
        assertEquals("80.00 USD", page.one("total"));
        assertEquals("4", page.inRow("data-reason", "messages UNKNOWN_CHANNEL", "rows"));
        assertEquals("2026-11-03 00:00:00 UTC", page.one("as-of"));
    }

    @Test
    void aMonthWithoutCorrectionsHasNoCorrectionTable() {
        SiteStatement s = reRated();
        SiteStatement first = new SiteStatement(s.siteId(), s.month(), s.segments(), s.zones(), s.darsPerDay(), s.credits(),
                s.lines().stream().filter(l -> l.invoiceVersion() == 1).toList(), s.linesRun(), s.usageRun(), Map.of(), Optional.empty());
        assertEquals(List.of(), first.corrections());
        String html = StatementPage.render(first, Map.of(), new ChartScript("", true));
        assertFalse(html.contains("id=\"corrections\""));
        assertTrue(html.contains("data-field=\"quarantined-none\""));
    }

    @Test
    void figuresReadTheSameInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("2,101", Figures.count(2101));
            assertEquals("1,365.00 USD", Figures.money(new BigDecimal("1365.00"), "USD"));
            assertEquals("0.6", Figures.quantity(new BigDecimal("0.6000")));
            assertEquals("150,251", Figures.quantity(new BigDecimal("150251.0000")));
            assertEquals("–", Figures.money(null, "USD"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void namesAndRanges() {
        assertEquals("s-kolkata-2026-10.html", Statements.fileName("s-kolkata", OCTOBER));
        assertEquals("a_002fb_0020c-2026-10.html", Statements.fileName("a/b c", OCTOBER));
        List<LocalDate> split = new ArrayList<>(dates(1, 10));
        split.addAll(dates(21, 21));
        assertEquals("2026-10-01 – 2026-10-10, 2026-10-21", StatementPage.ranges(split));
        assertNull(new SiteStatement("s", OCTOBER, List.of(), List.of(), new TreeMap<>(), List.of(), List.of(), null, null, Map.of(),
                Optional.empty()).figuresRun());
    }

    @Test
    void aFolderPageLoadsTheSharedScriptAndRunsNoInlineScript() {
        String html = StatementPage.render(reRated(), Map.of(), new ChartScript("drawCharts();", true));
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; "
                + "style-src 'unsafe-inline'; img-src data:\">\n"), html);
        assertTrue(html.endsWith("</script>\n<script src=\"statement.js\"></script>\n</body></html>\n"), html);
        assertFalse(html.contains("drawCharts"), "the script is not inlined");
        assertTrue(html.contains("<footer><a href=\"index.html\">All sites of 2026-10</a> · "), "the folder's page links its index");
    }

    @Test
    void aPageThatTravelsAloneInlinesItsScriptAllowedByItsHash() {
        String html = StatementPage.render(reRated(), Map.of(), new ChartScript("drawCharts();", false));
        // printf 'drawCharts();' | openssl dgst -sha256 -binary | base64
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "script-src 'sha256-ABJfgFvhjoWc7prIhMdIPDdHWxf/jPHlJO8xdrBd3Ho='; style-src 'unsafe-inline'; img-src data:\">\n"), html);
        assertTrue(html.endsWith("</script>\n<script>drawCharts();</script>\n</body></html>\n"), html);
        assertFalse(html.contains("statement.js"), "no reference to the folder's script");
        assertFalse(html.contains("href="), "no link: the index is not beside a mailed page");
    }

    @Test
    void theIndexRunsOnlyItsOwnSortingScript() {
        // printf 'sortTables();' | openssl dgst -sha256 -binary | base64
        assertEquals("'sha256-Bp/VWzT9v8sGnfBRq8BblLB5KybXKzp0b2NNZFu61W8='", ChartScript.hashSource("sortTables();"));
        String index = IndexPage.render(new StatementTables.Month(OCTOBER, List.of(reRated()), Map.of(), 0, Map.of()),
                Map.of("s-kolkata", "s-kolkata-2026-10.html"));
        String sortable = Html.resource("statement/sortable.js");
        assertTrue(index.contains("script-src " + ChartScript.hashSource(sortable) + ";"), index);
        assertTrue(index.contains("<script>" + sortable + "</script>"), index);
        assertFalse(index.contains("echarts"), "the index draws no chart");
    }

    @Test
    void jsonCannotCloseTheScriptThatHoldsIt() {
        assertEquals("{\"site\":\"\\u003c/script\\u003e\",\"n\":[1,null,2.50]}",
                Html.json(new java.util.LinkedHashMap<>(Map.of("site", "</script>"))).replace("}", "")
                        + ",\"n\":" + Html.json(java.util.Arrays.asList(1, null, new BigDecimal("2.50"))) + "}");
    }
}
