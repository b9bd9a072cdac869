package com.darbilling.projection;

import java.util.Locale;

/** How a projection is told in one line, numbers grouped the same whatever the machine's locale. */
public final class ProjectionText {
    private ProjectionText() {
    }

    /** "projection: s-kolkata 2026-10 OK -> OVER: 5,428 DARs projected, 2,000 included, 35 overage blocks = 1,365.00 USD (as of ...)" */
    public static String levelUp(SiteProjection p, Level before) {
        String amount = p.projectedOverageAmount() == null ? "" : " = " + String.format(Locale.ROOT, "%,.2f", p.projectedOverageAmount())
                + " " + p.currency();
        return String.format(Locale.ROOT, "projection: %s %s %s -> %s: %,d DARs projected, %,d included, %,d overage blocks%s "
                        + "(%,d DARs on %d of %d days complete, as of %s)",
                p.siteId(), p.month(), before == null ? "new" : before.name(), p.level().name(), p.projectedDars(), p.includedDar(),
                p.projectedOverageBlocks(), amount, p.darsSoFar(), p.completeDays(), p.daysInMonth(), p.asOf());
    }
}
