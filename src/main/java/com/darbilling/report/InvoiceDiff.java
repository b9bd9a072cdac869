package com.darbilling.report;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.contract.LineType;
import com.darbilling.invoice.InvoiceLine;
import com.darbilling.invoice.InvoiceVersions;
import com.darbilling.invoice.VersionPlan;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a reprocess of a month changes in its invoices, per site: the current version's regular lines
 * against the lines the reprocess writes, old -> new, only the lines whose quantity or amount changes
 * (a line missing on one side counts as zero, as R10's adjustments count it). Sites whose billed DARs
 * or billed total drop to zero come first. Plain Java over {@link InvoiceLine}s: no Spark, and no end
 * user is named (lines hold sites and plans only).
 *
 * @param sites          the sites whose lines change, zero drops first, each group by site id
 * @param finalUnchanged FINAL site-months that get version n+1 with the same lines (no adjustment)
 * @param unchanged      site-months whose lines stay as they are
 * @param before         the month's billed total per currency, current versions
 * @param after          the same after the reprocess
 */
public record InvoiceDiff(YearMonth month, List<SiteChange> sites, List<String> finalUnchanged, int unchanged,
                          Map<String, BigDecimal> before, Map<String, BigDecimal> after) {

    private static final Set<LineType> DAR_LINES = Set.of(LineType.DAR_INCLUDED, LineType.DAR_OVERAGE, LineType.UNRATED_DAR);
    private static final Comparator<InvoiceLine> LINE_ORDER = Comparator.comparing(InvoiceDiff::key);
    private static final BigDecimal ZERO_MONEY = new BigDecimal("0.00");

    /**
     * One site-month whose invoice changes.
     *
     * @param version        its current version (0: none yet)
     * @param status         the current version's status (DRAFT when there is none)
     * @param newVersion     the version the reprocess writes; empty when it writes no line (the DRAFT lines go)
     * @param adjustments    ADJUSTMENT lines of the new version (against the latest FINAL version)
     * @param darsToZero     it had billed DARs (a DAR line with a quantity) and will have none
     * @param totalToZero    its billed total was above zero and will be zero
     */
    public record SiteChange(String siteId, int version, InvoiceStatus status, Optional<Integer> newVersion, int adjustments,
                             boolean darsToZero, boolean totalToZero, Map<String, BigDecimal> before, Map<String, BigDecimal> after,
                             List<LineChange> lines) {
        public boolean dropsToZero() {
            return darsToZero || totalToZero;
        }

        /** A FINAL version stays and a new version corrects it. */
        public boolean changesFinal() {
            return status == InvoiceStatus.FINAL && newVersion.isPresent();
        }
    }

    /** One line of a segment (plan, plan version, line type), old -> new; a side is null when the line is absent. */
    public record LineChange(String planId, String planVersion, LineType lineType, InvoiceLine old, InvoiceLine now) {
    }

    public InvoiceDiff {
        sites = List.copyOf(sites);
        finalUnchanged = List.copyOf(finalUnchanged);
    }

    /**
     * @param existing the month's lines in the warehouse, every version (of the sites the plan rated, at least)
     * @param plan     what the reprocess writes ({@link VersionPlan.FinalMonths#REOPEN}); sites not in
     *                 {@link VersionPlan#sites()} keep their lines
     */
    public static InvoiceDiff of(YearMonth month, List<InvoiceLine> existing, VersionPlan plan) {
        Map<String, List<InvoiceLine>> before = existing.stream()
                .collect(Collectors.groupingBy(InvoiceLine::siteId, TreeMap::new, Collectors.toList()));
        Map<String, List<InvoiceLine>> written = plan.lines().stream()
                .collect(Collectors.groupingBy(InvoiceLine::siteId, TreeMap::new, Collectors.toList()));
        Set<String> rewritten = Set.copyOf(plan.sites());
        TreeSet<String> allSites = new TreeSet<>(before.keySet());
        allSites.addAll(written.keySet());

        List<SiteChange> changes = new ArrayList<>();
        List<String> finalUnchanged = new ArrayList<>();
        int unchanged = 0;
        Map<String, BigDecimal> monthBefore = new TreeMap<>();
        Map<String, BigDecimal> monthAfter = new TreeMap<>();
        for (String site : allSites) {
            List<InvoiceLine> lines = before.getOrDefault(site, List.of());
            InvoiceVersions.Existing versions = InvoiceVersions.Existing.of(lines);
            List<InvoiceLine> current = regular(lines.stream().filter(l -> l.invoiceVersion() == versions.latestVersion()).toList());
            List<InvoiceLine> newLines = rewritten.contains(site) ? written.getOrDefault(site, List.of()) : null;
            List<InvoiceLine> next = newLines == null ? current : regular(newLines);
            Map<String, BigDecimal> totalBefore = totals(current);
            Map<String, BigDecimal> totalAfter = totals(next);
            add(monthBefore, totalBefore);
            add(monthAfter, totalAfter);
            List<LineChange> lineChanges = newLines == null ? List.of() : lineChanges(current, next);
            Optional<Integer> newVersion = newLines == null || newLines.isEmpty() ? Optional.empty()
                    : Optional.of(newLines.get(0).invoiceVersion());
            boolean appearsOrGoes = newLines != null && current.isEmpty() != next.isEmpty();
            if (lineChanges.isEmpty() && !appearsOrGoes) {
                if (versions.latestStatus() == InvoiceStatus.FINAL && newVersion.isPresent()) {
                    finalUnchanged.add(site);
                } else {
                    unchanged++;
                }
                continue;
            }
            int adjustments = (int) newLines.stream().filter(l -> l.lineType() == LineType.ADJUSTMENT).count();
            changes.add(new SiteChange(site, versions.latestVersion(), versions.latestStatus(), newVersion, adjustments,
                    hasDars(current) && !hasDars(next), isPositive(totalBefore) && !isPositive(totalAfter),
                    totalBefore, totalAfter, lineChanges));
        }
        changes.sort(Comparator.comparing((SiteChange c) -> !c.dropsToZero()).thenComparing(SiteChange::siteId));
        return new InvoiceDiff(month, changes, finalUnchanged, unchanged, monthBefore, monthAfter);
    }

    /** A real reprocess prints the summary before it writes when a site's billed DARs or total drop to zero, or a FINAL month changes. */
    public boolean needsNotice() {
        return sites.stream().anyMatch(s -> s.dropsToZero() || s.changesFinal());
    }

    public long dropsToZero() {
        return sites.stream().filter(SiteChange::dropsToZero).count();
    }

    /** The summary, one line per site and one per changed line, then the month's total. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        int total = sites.size() + finalUnchanged.size() + unchanged;
        long drops = dropsToZero();
        out.add(month + ": " + sites.size() + " of " + total + " site invoices change"
                + (drops > 0 ? "; " + drops + (drops == 1 ? " drops" : " drop") + " to zero (listed first)" : "")
                + (sites.isEmpty() ? "" : "; old -> new"));
        for (SiteChange s : sites) {
            out.add("  " + s.siteId() + ": " + siteSummary(s));
            for (LineChange l : s.lines()) {
                out.add("    " + lineSummary(l));
            }
        }
        if (!finalUnchanged.isEmpty()) {
            out.add("  " + finalUnchanged.size() + " FINAL site invoices get a new DRAFT version with the same lines (no adjustment): "
                    + String.join(", ", finalUnchanged));
        }
        out.add("  month total: " + money(before, after.keySet()) + " -> " + money(after, before.keySet()));
        return out;
    }

    private static String siteSummary(SiteChange s) {
        List<String> parts = new ArrayList<>();
        if (s.darsToZero()) {
            parts.add("billed DARs drop to zero");
        }
        parts.add("total " + money(s.before(), s.after().keySet()) + " -> " + money(s.after(), s.before().keySet()));
        parts.add(versionSummary(s));
        return String.join("; ", parts);
    }

    private static String versionSummary(SiteChange s) {
        if (s.version() == 0) {
            return "new invoice, version " + s.newVersion().orElseThrow() + " DRAFT";
        }
        String current = "version " + s.version() + " " + s.status();
        if (s.newVersion().isEmpty()) {
            return current + " is deleted (no usage left)";
        }
        String adjusted = s.adjustments() == 0 ? "" : " with " + s.adjustments() + " ADJUSTMENT lines";
        if (s.status() == InvoiceStatus.FINAL) {
            return current + " stays; version " + s.newVersion().get() + " DRAFT is written" + adjusted;
        }
        return current + " is replaced in place" + adjusted;
    }

    /** Quantity old -> new, and the amount when it changes too ("none": the line is absent on that side). */
    private static String lineSummary(LineChange l) {
        InvoiceLine any = l.now() != null ? l.now() : l.old();
        String text = (l.planId() == null ? "no plan" : l.planId() + " " + l.planVersion()) + " " + l.lineType()
                + ": quantity " + quantity(l.old()) + " -> " + quantity(l.now());
        if (amountChanges(l.old(), l.now())) {
            text += ", amount " + amount(l.old()) + " -> " + amount(l.now()) + (any.currency() == null ? "" : " " + any.currency());
        }
        return text;
    }

    private static List<LineChange> lineChanges(List<InvoiceLine> old, List<InvoiceLine> now) {
        Map<String, InvoiceLine[]> byKey = new LinkedHashMap<>();
        old.stream().sorted(LINE_ORDER).forEach(l -> byKey.computeIfAbsent(key(l), k -> new InvoiceLine[2])[0] = l);
        now.stream().sorted(LINE_ORDER).forEach(l -> byKey.computeIfAbsent(key(l), k -> new InvoiceLine[2])[1] = l);
        List<LineChange> out = new ArrayList<>();
        for (InvoiceLine[] pair : byKey.values()) {
            InvoiceLine any = pair[1] != null ? pair[1] : pair[0];
            if (valueOf(pair[0], InvoiceLine::quantity).compareTo(valueOf(pair[1], InvoiceLine::quantity)) != 0
                    || amountChanges(pair[0], pair[1])) {
                out.add(new LineChange(any.planId(), any.planVersion(), any.lineType(), pair[0], pair[1]));
            }
        }
        out.sort(Comparator.comparing((LineChange c) -> c.planId() == null ? "\uffff" : c.planId())
                .thenComparing(c -> Objects.toString(c.planVersion(), "")).thenComparing(LineChange::lineType));
        return out;
    }

    private static String key(InvoiceLine l) {
        return Objects.toString(l.planId()) + "|" + Objects.toString(l.planVersion()) + "|" + l.lineType();
    }

    private static List<InvoiceLine> regular(List<InvoiceLine> lines) {
        return lines.stream().filter(l -> l.lineType() != LineType.ADJUSTMENT).toList();
    }

    private static boolean hasDars(List<InvoiceLine> lines) {
        return lines.stream().anyMatch(l -> DAR_LINES.contains(l.lineType()) && l.quantity().signum() > 0);
    }

    /** Money amounts per currency; lines without an amount (credits without a credit price) carry none. */
    private static Map<String, BigDecimal> totals(List<InvoiceLine> lines) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (InvoiceLine l : lines) {
            if (l.amount() != null && (l.currency() != null || l.amount().signum() != 0)) {
                totals.merge(Objects.toString(l.currency(), "(no currency)"), l.amount(), BigDecimal::add);
            }
        }
        return totals;
    }

    private static boolean isPositive(Map<String, BigDecimal> totals) {
        return totals.values().stream().anyMatch(v -> v.signum() != 0);
    }

    private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> amounts) {
        amounts.forEach((currency, amount) -> into.merge(currency, amount, BigDecimal::add));
    }

    /** "78.00 USD", each currency of either side (absent: 0.00); "0.00" when neither side has money. */
    private static String money(Map<String, BigDecimal> totals, Set<String> otherSide) {
        TreeSet<String> currencies = new TreeSet<>(totals.keySet());
        currencies.addAll(otherSide);
        if (currencies.isEmpty()) {
            return "0.00";
        }
        return currencies.stream().map(c -> totals.getOrDefault(c, ZERO_MONEY).toPlainString() + " " + c)
                .collect(Collectors.joining(" + "));
    }

    /** As R10's adjustments compare: an absent amount counts as zero, unless neither side has one. */
    private static boolean amountChanges(InvoiceLine old, InvoiceLine now) {
        boolean neitherHasMoney = (old == null || old.amount() == null) && (now == null || now.amount() == null);
        return !neitherHasMoney && valueOf(old, InvoiceLine::amount).compareTo(valueOf(now, InvoiceLine::amount)) != 0;
    }

    private static String quantity(InvoiceLine l) {
        return l == null ? "none" : l.quantity().stripTrailingZeros().toPlainString();
    }

    private static String amount(InvoiceLine l) {
        return l == null ? "none" : l.amount() == null ? "-" : l.amount().toPlainString();
    }

    private static BigDecimal valueOf(InvoiceLine l, java.util.function.Function<InvoiceLine, BigDecimal> field) {
        return l == null || field.apply(l) == null ? BigDecimal.ZERO : field.apply(l);
    }
}
