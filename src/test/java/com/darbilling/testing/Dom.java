package com.darbilling.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads figures back from a statement's markup (as written, or as a browser's --dump-dom serialised
 * it): the text of elements marked {@code data-field}, within the whole page or within one table row.
 */
public final class Dom {

    private final String html;

    public Dom(String html) {
        this.html = html;
    }

    /** The texts of every element with this data-field, in page order (inner tags removed). */
    public List<String> all(String field) {
        return fieldsIn(html, field);
    }

    public String one(String field) {
        List<String> values = all(field);
        if (values.size() != 1) {
            throw new AssertionError("expected one data-field=" + field + ", found " + values);
        }
        return values.get(0);
    }

    /** The row {@code <tr attribute="value">}'s field. */
    public String inRow(String attribute, String value, String field) {
        String start = "<tr " + attribute + "=\"" + value + "\"";
        int i = html.indexOf(start);
        if (i < 0) {
            i = html.indexOf(start.replace("<tr ", "<tr class=\"adjustment\" "));
        }
        if (i < 0) {
            throw new AssertionError("no row " + attribute + "=" + value);
        }
        String row = html.substring(i, html.indexOf("</tr>", i));
        List<String> values = fieldsIn(row, field);
        if (values.size() != 1) {
            throw new AssertionError("row " + value + ": expected one " + field + ", found " + values);
        }
        return values.get(0);
    }

    public boolean hasRow(String attribute, String value) {
        return html.contains("<tr " + attribute + "=\"" + value + "\"") || html.contains("<tr class=\"adjustment\" " + attribute + "=\"" + value + "\"");
    }

    /** The attributes of the first {@code <body>} tag. */
    public String bodyTag() {
        Matcher m = Pattern.compile("<body[^>]*>").matcher(html);
        return m.find() ? m.group() : "";
    }

    /** The markup inside the element with this id, up to the end of its first svg. */
    public String svgOf(String id) {
        int i = html.indexOf("id=\"" + id + "\"");
        if (i < 0) {
            throw new AssertionError("no element " + id);
        }
        int start = html.indexOf("<svg", i);
        int end = html.indexOf("</svg>", i);
        return start < 0 || end < 0 || start > end ? "" : html.substring(start, end);
    }

    private static List<String> fieldsIn(String markup, String field) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<(span|div|td|strong|code|p)\\b[^>]*\\bdata-field=\"" + Pattern.quote(field) + "\"[^>]*>(.*?)</\\1>",
                Pattern.DOTALL).matcher(markup);
        while (m.find()) {
            out.add(m.group(2).replaceAll("<[^>]+>", "").replace("&amp;", "&").strip());
        }
        return out;
    }
}
