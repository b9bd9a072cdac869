package com.darbilling.statement;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How figures read on a statement, the same on every machine whatever its locale: counts and
 * quantities grouped by thousands with a comma, money with two decimals and its currency, dates
 * as ISO local dates, instants in UTC. Decimals are formatted from BigDecimal, never via double.
 */
public final class Figures {
    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);
    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH);
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Figures() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A quantity (DECIMAL(18,4)) without trailing zeros: 2101.0000 -> "2,101", 0.6000 -> "0.6". */
    public static String quantity(BigDecimal q) {
        if (q == null) {
            return "–";
        }
        DecimalFormat format = new DecimalFormat("#,##0.####", SYMBOLS);
        format.setMaximumFractionDigits(Math.max(0, q.scale()));
        return format.format(q);
    }

    /** "78.00 USD"; "–" for no amount. */
    public static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "–";
        }
        return new DecimalFormat("#,##0.00", SYMBOLS).format(amount) + (currency == null ? "" : " " + currency);
    }

    public static String date(LocalDate d) {
        return d.toString();
    }

    /** "2026-10-12 Mon". */
    public static String dateWithWeekday(LocalDate d) {
        return d + " " + WEEKDAY.format(d);
    }

    /** "2026-11-01 00:00:00 UTC". */
    public static String utc(Instant at) {
        return at == null ? "–" : INSTANT.format(at.atZone(ZoneOffset.UTC)) + " UTC";
    }

    /** "2026-10-31 20:00:00 America/New_York". */
    public static String local(Instant at, String zone) {
        return INSTANT.format(at.atZone(ZoneId.of(zone))) + " " + zone;
    }
}
