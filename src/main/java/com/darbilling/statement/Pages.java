package com.darbilling.statement;

import static com.darbilling.statement.Html.text;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the index and the site pages share: the head with the inlined style sheet and the policy, cards, money per currency. */
final class Pages {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    private Pages() {
    }

    /**
     * The head, with the inlined style sheet and a policy under which nothing may be fetched whatever a
     * table holds: scripts only from {@code scriptSources} ('self' or a script's hash, see ChartScript);
     * the inlined style sheet and the styles ECharts sets on its SVG ('unsafe-inline': a style cannot
     * fetch anything under default-src 'none'); images only from data: URLs.
     */
    static void head(StringBuilder h, String title, String scriptSources) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(policy(scriptSources)).append("\">\n")
                .append("<title>").append(text(title)).append("</title>\n<style>").append(Html.resource("statement/statement.css"))
                .append("</style></head>\n");
    }

    static String policy(String scriptSources) {
        return "default-src 'none'; script-src " + scriptSources + "; style-src 'unsafe-inline'; img-src data:";
    }

    static String monthName(YearMonth month) {
        return MONTH.format(month);
    }

    static void card(StringBuilder h, String label, String field, String value) {
        h.append("<div class=\"card\"><div class=\"label\">").append(text(label)).append("</div><div class=\"value\" data-field=\"")
                .append(field).append("\">").append(text(value)).append("</div></div>\n");
    }

    /** "78.00 USD", "0.00" without any amount, "10.00 EUR + 39.00 USD" across currencies. */
    static String money(Map<String, BigDecimal> byCurrency) {
        if (byCurrency.isEmpty()) {
            return Figures.money(BigDecimal.ZERO.setScale(2), null);
        }
        List<String> parts = new ArrayList<>();
        byCurrency.forEach((currency, amount) -> parts.add(Figures.money(amount, currency)));
        return String.join(" + ", parts);
    }

    /** "invoice_lines v3, credit_usage v3, ..." of the tables that exist. */
    static String versions(Map<String, Long> tableVersions) {
        return String.join(", ", tableVersions.entrySet().stream().filter(e -> e.getValue() >= 0).map(e -> e.getKey() + " v" + e.getValue())
                .toList());
    }

    /** Rows by "input reason" keys. */
    static void quarantineTable(StringBuilder h, Map<String, Long> byInputAndReason) {
        h.append("<table id=\"quarantine\"><thead><tr><th>Input</th><th>Reason</th><th class=\"num\">Rows</th></tr></thead><tbody>\n");
        byInputAndReason.forEach((key, rows) -> {
            String[] parts = key.split(" ", 2);
            h.append("<tr data-reason=\"").append(text(key)).append("\"><td>").append(text(parts[0])).append("</td><td>").append(text(parts[1]))
                    .append("</td><td class=\"num\" data-field=\"rows\">").append(Figures.count(rows)).append("</td></tr>\n");
        });
        h.append("</tbody></table>\n");
    }
}
