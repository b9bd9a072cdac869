package com.darbilling.rating;

import java.time.LocalDate;

/** Usage of one site on one local date: the input of rating. */
public record DayUsage(String siteId, LocalDate localDate, long dars, long sessions, long interactiveSessions,
                       long invocations) {
}
