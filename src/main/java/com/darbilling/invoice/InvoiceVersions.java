package com.darbilling.invoice;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.plan.BillingMath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Invoice versions of one site-month (R10). A DRAFT version is replaced in place; a FINAL version
 * is never touched: re-rating it writes version n+1 (DRAFT) with its full regular lines and one
 * ADJUSTMENT line per plan and line type whose quantity or amount changed, new minus old.
 */
public final class InvoiceVersions {
    private InvoiceVersions() {
    }

    /**
     * What the warehouse holds of a site-month: its latest version (0: none yet) and the lines of its
     * latest FINAL version. A version whose lines are partly FINAL (a close interrupted between
     * sites cannot do that, one commit closes the month, but a hand edit could) counts as FINAL: it
     * may have been sent.
     */
    public record Existing(int latestVersion, InvoiceStatus latestStatus, List<InvoiceLine> latestFinalLines) {
        /** A site-month with no invoice lines yet. */
        public static final Existing NONE = new Existing(0, InvoiceStatus.DRAFT, List.of());

        public static Existing of(List<InvoiceLine> lines) {
            if (lines.isEmpty()) {
                return NONE;
            }
            int latest = lines.stream().mapToInt(InvoiceLine::invoiceVersion).max().orElseThrow();
            InvoiceStatus status = lines.stream().filter(l -> l.invoiceVersion() == latest).map(InvoiceLine::status)
                    .reduce((a, b) -> a == InvoiceStatus.FINAL || b == InvoiceStatus.FINAL ? InvoiceStatus.FINAL : a).orElseThrow();
            int latestFinal = lines.stream().filter(l -> l.status() == InvoiceStatus.FINAL).mapToInt(InvoiceLine::invoiceVersion)
                    .max().orElse(0);
            List<InvoiceLine> finalLines = lines.stream()
                    .filter(l -> l.invoiceVersion() == latestFinal && l.lineType() != LineType.ADJUSTMENT).toList();
            return new Existing(latest, status, finalLines);
        }

        boolean isFinal() {
            return latestStatus == InvoiceStatus.FINAL;
        }

        boolean isEmpty() {
            return latestVersion == 0;
        }
    }

    /** The version that new lines of the site-month get, or empty when its latest version is FINAL and may not be reopened. */
    public static Optional<Integer> nextVersion(Existing existing, boolean mayReopenFinal) {
        if (existing.isEmpty()) {
            return Optional.of(1);
        }
        if (!existing.isFinal()) {
            return Optional.of(existing.latestVersion());
        }
        return mayReopenFinal ? Optional.of(existing.latestVersion() + 1) : Optional.empty();
    }

    /** The new version's lines: its regular lines plus the adjustments against the latest FINAL version, if any. */
    public static List<InvoiceLine> withAdjustments(List<InvoiceLine> regular, Existing existing, String siteId, String month,
                                                    int version) {
        List<InvoiceLine> out = new ArrayList<>(regular);
        if (!existing.latestFinalLines().isEmpty()) {
            out.addAll(adjustments(regular, existing.latestFinalLines(), siteId, month, version));
        }
        return out;
    }

    /** One ADJUSTMENT per (plan, line type) whose quantity or amount differs: new minus old, missing counting as zero. */
    public static List<InvoiceLine> adjustments(List<InvoiceLine> newLines, List<InvoiceLine> oldLines, String siteId, String month,
                                                int version) {
        Map<String, InvoiceLine[]> byKey = new LinkedHashMap<>();
        for (InvoiceLine l : oldLines) {
            byKey.computeIfAbsent(key(l), k -> new InvoiceLine[2])[0] = l;
        }
        for (InvoiceLine l : newLines) {
            byKey.computeIfAbsent(key(l), k -> new InvoiceLine[2])[1] = l;
        }
        List<InvoiceLine> out = new ArrayList<>();
        for (InvoiceLine[] pair : byKey.values()) {
            InvoiceLine old = pair[0];
            InvoiceLine now = pair[1];
            InvoiceLine any = now != null ? now : old;
            BigDecimal quantity = quantity(now).subtract(quantity(old));
            BigDecimal amount = (now == null || now.amount() == null) && (old == null || old.amount() == null)
                    ? null
                    : amount(now).subtract(amount(old));
            if (quantity.signum() == 0 && (amount == null || amount.signum() == 0)) {
                continue;
            }
            out.add(new InvoiceLine(siteId, month, version, InvoiceStatus.DRAFT, any.planId(), any.planVersion(), LineType.ADJUSTMENT,
                    any.lineType(), quantity, null, amount, any.currency()));
        }
        return out;
    }

    private static String key(InvoiceLine l) {
        return Objects.toString(l.planId()) + "|" + l.lineType();
    }

    private static BigDecimal quantity(InvoiceLine l) {
        return l == null ? BigDecimal.ZERO.setScale(BillingMath.CREDIT_SCALE) : l.quantity();
    }

    private static BigDecimal amount(InvoiceLine l) {
        return l == null || l.amount() == null ? BillingMath.zeroMoney() : l.amount();
    }
}
