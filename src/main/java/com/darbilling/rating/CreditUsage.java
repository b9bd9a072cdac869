package com.darbilling.rating;

import com.darbilling.contract.CreditCategory;
import com.darbilling.plan.BillingMath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One row of credit_usage: a site's month in one category (all four for every site-month with usage). */
public record CreditUsage(String siteId, String billingMonth, CreditCategory category, long usageQuantity,
                          BigDecimal credits) {

    public static List<CreditUsage> of(SiteMonth m) {
        String month = m.month().toString();
        long intentDars = m.segments().stream().mapToLong(SegmentCharge::intentDars).sum();
        List<CreditUsage> rows = new ArrayList<>();
        rows.add(new CreditUsage(m.siteId(), month, CreditCategory.MESSAGING, m.dars(),
                sum(m, SegmentCharge::messagingCredits)));
        rows.add(new CreditUsage(m.siteId(), month, CreditCategory.INTENT_MANAGER, intentDars,
                sum(m, SegmentCharge::intentManagerCredits)));
        rows.add(new CreditUsage(m.siteId(), month, CreditCategory.COBROWSE, m.sessions(),
                sum(m, SegmentCharge::cobrowseCredits)));
        rows.add(new CreditUsage(m.siteId(), month, CreditCategory.FUNCTIONS, m.invocations(),
                sum(m, SegmentCharge::functionsCredits)));
        return rows;
    }

    private static BigDecimal sum(SiteMonth m, Function<SegmentCharge, BigDecimal> credits) {
        return m.segments().stream().map(credits)
                .reduce(BigDecimal.ZERO.setScale(BillingMath.CREDIT_SCALE), BigDecimal::add);
    }
}
