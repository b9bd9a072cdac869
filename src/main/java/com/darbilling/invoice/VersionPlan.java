package com.darbilling.invoice;

import com.darbilling.contract.InvoiceStatus;
import com.darbilling.rating.SiteMonth;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a rating of a billing month writes to invoice_lines (R10), decided from the rated
 * site-months and the lines the warehouse already holds, without Spark.
 *
 * @param lines            the DRAFT lines to write: regular lines plus adjustments against the latest FINAL version
 * @param sites            the sites whose DRAFT lines these lines replace (sites rated or with lines before, minus
 *                         those left alone because their month is FINAL)
 * @param unbilledChanges  "site month" of each FINAL site-month left alone whose rated usage differs from its
 *                         FINAL lines: the change is reported, not billed (reprocess bills it)
 */
public record VersionPlan(List<InvoiceLine> lines, List<String> sites, List<String> unbilledChanges) {

    /** What a rating does to a site-month whose latest version is FINAL. */
    public enum FinalMonths {
        /** reprocess: version n+1, DRAFT, with adjustment lines. */
        REOPEN,
        /** nightly: the FINAL version stands; a difference is reported as unbilled change. */
        KEEP
    }

    public VersionPlan {
        lines = List.copyOf(lines);
        sites = List.copyOf(sites);
        unbilledChanges = List.copyOf(unbilledChanges);
    }

    /**
     * @param rated    the site-months rated now (sites without usage now have none)
     * @param existing the month's invoice lines in the warehouse, of the same sites (every version)
     */
    public static VersionPlan of(YearMonth month, List<SiteMonth> rated, List<InvoiceLine> existing, FinalMonths finalMonths) {
        String monthText = month.toString();
        Map<String, SiteMonth> bySite = rated.stream().collect(Collectors.toMap(SiteMonth::siteId, Function.identity()));
        Map<String, List<InvoiceLine>> before = new TreeMap<>(existing.stream().collect(Collectors.groupingBy(InvoiceLine::siteId)));
        TreeSet<String> allSites = new TreeSet<>(bySite.keySet());
        allSites.addAll(before.keySet());

        List<InvoiceLine> lines = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        List<String> unbilled = new ArrayList<>();
        for (String site : allSites) {
            InvoiceVersions.Existing versions = InvoiceVersions.Existing.of(before.getOrDefault(site, List.of()));
            Optional<Integer> version = InvoiceVersions.nextVersion(versions, finalMonths == FinalMonths.REOPEN);
            SiteMonth now = bySite.get(site);
            if (version.isEmpty()) {
                List<InvoiceLine> current = now == null ? List.of() : InvoiceLines.of(now, versions.latestVersion(), InvoiceStatus.FINAL);
                if (!InvoiceVersions.adjustments(current, versions.latestFinalLines(), site, monthText, 0).isEmpty()) {
                    unbilled.add(site + " " + monthText);
                }
                continue;
            }
            sites.add(site);
            List<InvoiceLine> regular = now == null ? List.of() : InvoiceLines.of(now, version.get(), InvoiceStatus.DRAFT);
            lines.addAll(InvoiceVersions.withAdjustments(regular, versions, site, monthText, version.get()));
        }
        InvoiceLines.checkUniqueKeys(lines);
        return new VersionPlan(lines, sites, unbilled);
    }
}
