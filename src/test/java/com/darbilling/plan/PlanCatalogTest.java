package com.darbilling.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class PlanCatalogTest {
    private static final String CARD = """
            {"plan_id": "%s", "version": "%s", "effective_from": "%s", "included_dar": %s,
             "overage_block_size": %s, "overage_block_price": %s, "currency": "USD", "credits_per_dar": 1,
             "intent_manager_credits_per_dar": 0.2, "cobrowse_credits_per_session": 1,
             "functions_free_invocations": 150000, "functions_block_size": 250, "functions_credits_per_block": 1,
             "max_platform_users": 10}""";

    private static String card(String plan, String version, String from, String included, String blockSize, String price) {
        return CARD.formatted(plan, version, from, included, blockSize, price);
    }

    @Test
    void bundledCatalogHoldsTheStarterCard() {
        RateCard starter = PlanCatalog.bundled().cardFor("starter", YearMonth.of(2026, 10));
        assertEquals("2020-09-04", starter.version());
        assertEquals(2000, starter.includedDar());
        assertEquals(100, starter.overageBlockSize());
        assertEquals(0, new BigDecimal("39.00").compareTo(starter.overageBlockPrice()));
        assertEquals(0, new BigDecimal("0.2").compareTo(starter.intentManagerCreditsPerDar()));
        assertEquals(150000, starter.functionsFreeInvocations());
        assertEquals(250, starter.functionsBlockSize());
        assertEquals(10, starter.maxPlatformUsers());
        assertNull(starter.creditPrice());
    }

    @Test
    void cardOfAMonthIsTheLatestVersionStartingOnOrBeforeItsFirstDay() {
        PlanCatalog catalog = PlanCatalog.parse("[" + card("p", "v1", "2020-01-01", "2000", "100", "39.00") + ","
                + card("p", "v2", "2026-11-01", "3000", "100", "35.00") + ","
                + card("p", "v3", "2026-11-02", "4000", "100", "30.00") + "]", "test");
        assertEquals("v1", catalog.cardFor("p", YearMonth.of(2026, 10)).version());
        assertEquals("v2", catalog.cardFor("p", YearMonth.of(2026, 11)).version());
        assertEquals("v3", catalog.cardFor("p", YearMonth.of(2026, 12)).version());
        assertTrue(catalog.find("p", YearMonth.of(2019, 12)).isEmpty());
    }

    @Test
    void starterOfSeptember2020IsNotInForce() {
        // effective_from 2020-09-04: in force for billing months starting on or after it, so from October.
        PlanCatalog bundled = PlanCatalog.bundled();
        assertTrue(bundled.find("starter", YearMonth.of(2020, 9)).isEmpty());
        assertEquals(LocalDate.of(2020, 9, 4), bundled.cardFor("starter", YearMonth.of(2020, 10)).effectiveFrom());
    }

    @Test
    void unknownPlanFailsInsteadOfBeingPricedByDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlanCatalog.bundled().cardFor("enterprise", YearMonth.of(2026, 10)));
        assertTrue(e.getMessage().contains("enterprise is not in the plan catalog"), e.getMessage());
    }

    @Test
    void malformedCatalogsAreRejectedWithTheirReason() {
        assertMessage("not valid JSON", "[{");
        assertMessage("expected a JSON array", "{}");
        assertMessage("field included_dar is missing", "[" + card("p", "v", "2020-01-01", "null", "100", "39.00") + "]");
        assertMessage("overage_block_price must be >= 0", "[" + card("p", "v", "2020-01-01", "2000", "100", "-1") + "]");
        assertMessage("overage_block_size must be > 0", "[" + card("p", "v", "2020-01-01", "2000", "0", "39.00") + "]");
        assertMessage("more than 2 decimals", "[" + card("p", "v", "2020-01-01", "2000", "100", "39.005") + "]");
        assertMessage("must be a date", "[" + card("p", "v", "2020-13-01", "2000", "100", "39.00") + "]");
        assertMessage("appears twice", "[" + card("p", "v", "2020-01-01", "2000", "100", "39.00") + ","
                + card("p", "v", "2021-01-01", "2000", "100", "39.00") + "]");
        assertMessage("plan p has versions v1 and v2 with the same effective_from 2026-11-01", "[" + card("p", "v1", "2026-11-01", "2000", "100", "39.00")
                + "," + card("p", "v2", "2026-11-01", "3000", "100", "35.00") + "]");
    }

    @Test
    void twoPlansMayStartOnTheSameDay() {
        PlanCatalog catalog = PlanCatalog.parse("[" + card("p", "v1", "2026-11-01", "2000", "100", "39.00") + ","
                + card("q", "v1", "2026-11-01", "3000", "100", "35.00") + "]", "test");
        assertEquals(3000, catalog.cardFor("q", YearMonth.of(2026, 11)).includedDar());
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlanCatalog.parse(json, "test"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
