package com.darbilling.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worked examples of the spec, computed by hand. */
class BillingMathTest {

    @ParameterizedTest(name = "{0} DAR -> {1} blocks, {2} USD")
    @CsvSource({"2000, 0, 0.00", "2001, 1, 39.00", "2100, 1, 39.00", "2101, 2, 78.00", "0, 0, 0.00"})
    void darOverageOfStarter(long dars, long blocks, String amount) {
        long computed = BillingMath.blocksAbove(dars, 2000, 100);
        assertEquals(blocks, computed);
        assertEquals(new BigDecimal(amount), BillingMath.money(computed, new BigDecimal("39.00")));
    }

    @ParameterizedTest(name = "{0} invocations -> {1} credits")
    @CsvSource({"150000, 0", "150001, 1", "150250, 1", "150251, 2", "0, 0"})
    void functionCredits(long invocations, long credits) {
        assertEquals(credits, BillingMath.blocksAbove(invocations, 150000, 250));
    }

    @ParameterizedTest(name = "{0} intent DARs -> {1} credits")
    @CsvSource({"7, 1.4000", "2, 0.4000", "1, 0.2000", "0, 0.0000"})
    void intentManagerCreditsAreExact(long dars, String credits) {
        assertEquals(new BigDecimal(credits), BillingMath.credits(dars, new BigDecimal("0.2")));
    }

    @ParameterizedTest(name = "{0} / {1} {2} -> {3}")
    @CsvSource({
            "5, 2, HALF_UP, 3",     // 2.5
            "7, 4, HALF_UP, 2",     // 1.75
            "1, 2, HALF_UP, 1",     // 0.5
            "1, 3, HALF_UP, 0",     // 0.33
            "0, 7, HALF_UP, 0",
            "1, 100, CEILING, 1",
            "100, 100, CEILING, 1",
            "101, 100, CEILING, 2",
            "0, 100, CEILING, 0"})
    void roundedDivisionInIntegers(long a, long b, RoundingMode mode, long expected) {
        assertEquals(expected, BillingMath.divide(a, b, mode));
    }

    @Test
    void aRoundingTheRulesDoNotUseOrANegativeDividendIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> BillingMath.divide(5, 2, RoundingMode.FLOOR));
        assertThrows(IllegalArgumentException.class,
                () -> BillingMath.divide(-1, 2, RoundingMode.CEILING));
    }

    @ParameterizedTest(name = "{0} x {1}/{2} -> {3}")
    @CsvSource({
            "2000, 29, 30, 1933",   // the spec's example: 1,933.33
            "2000, 15, 31, 968",    // 967.74
            "2000, 20, 31, 1290",   // 1,290.32
            "5000, 16, 31, 2581",   // 2,580.65
            "150000, 20, 31, 96774",
            "2000, 31, 31, 2000",
            "2000, 0, 31, 0",
            "3, 1, 2, 2",           // 1.5 rounds half up
            "5, 1, 4, 1",           // 1.25 rounds down
            "1, 1, 2, 1"})          // 0.5 rounds half up
    void prorationRoundsHalfUpInIntegers(long allowance, long days, long daysInMonth, long expected) {
        assertEquals(expected, BillingMath.prorate(allowance, days, daysInMonth));
    }

    @ParameterizedTest(name = "{0} credits at {1} -> {2}")
    @CsvSource({"0.6000, 0.10, 0.06", "1.2500, 0.10, 0.13", "1.2400, 0.10, 0.12", "3.0000, 0.15, 0.45"})
    void moneyFromCreditsRoundsHalfUpToCents(String credits, String price, String amount) {
        assertEquals(new BigDecimal(amount), BillingMath.money(new BigDecimal(credits), new BigDecimal(price)));
    }
}
