package com.darbilling.statement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A site page's script (ECharts, then our chart code, which reads the page's JSON data island) and
 * the Content-Security-Policy that lets it run and nothing else. In a statement folder the script
 * is one file beside the pages, loaded by a relative path ({@code script-src 'self'}: the page's
 * folder, on a disk or a file share); a page that travels alone ({@code --site}, what gets mailed)
 * inlines it, allowed by its SHA-256 hash. Either way an inline script that a table value managed
 * to inject would match neither, and {@code default-src 'none'} forbids every request but the
 * shared file.
 */
record ChartScript(String source, boolean shared) {
    /** The folder's shared file: a name no site page can take (pages end in -YYYY-MM.html). */
    static final String SHARED_FILE = "statement.js";
    /** ECharts, from its webjar (pom.xml echarts.version): the common bundle, which has the SVG renderer. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.common.min.js";

    /** ECharts and the chart code as one script, read from the class path. */
    static String fromClassPath() {
        return Html.resource(ECHARTS) + "\n;\n" + Html.resource("statement/charts.js");
    }

    static ChartScript sharedFile() {
        return new ChartScript(fromClassPath(), true);
    }

    static ChartScript inlined() {
        return new ChartScript(fromClassPath(), false);
    }

    /** The script-src of the page's policy. */
    String scriptSources() {
        return shared ? "'self'" : hashSource(source);
    }

    void appendTo(StringBuilder h) {
        if (shared) {
            h.append("<script src=\"").append(SHARED_FILE).append("\"></script>\n");
        } else {
            h.append("<script>").append(source).append("</script>\n");
        }
    }

    /** "'sha256-...'": the CSP source that allows exactly this inline script (its UTF-8 text between the tags). */
    static String hashSource(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
