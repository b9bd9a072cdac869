package com.darbilling.rating;

import com.darbilling.plan.RateCard;
import java.time.YearMonth;
import java.util.List;

/**
 * One site's billing month, rated: a charge per plan segment, the usage on days without a plan
 * assignment, the month's totals and its platform users.
 *
 * @param lastRatedCard card of the segment holding the month's last rated day; null if no day is rated
 */
public record SiteMonth(String siteId, YearMonth month, List<SegmentCharge> segments, long dars, long sessions,
                        long invocations, long unratedDars, long platformUsers, RateCard lastRatedCard) {
}
