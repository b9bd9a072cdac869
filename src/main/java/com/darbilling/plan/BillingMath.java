package com.darbilling.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The arithmetic of the rules, in integers and BigDecimal only (R3, R4, R6, R8, R9). */
public final class BillingMath {
    public static final int MONEY_SCALE = 2;
    public static final int CREDIT_SCALE = 4;

    private BillingMath() {
    }

    /** ceil(a / b) for a >= 0, b > 0. */
    public static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }

    /** Blocks of {@code blockSize} needed to cover what exceeds {@code allowance} (R3, R6). */
    public static long blocksAbove(long used, long allowance, long blockSize) {
        long excess = Math.max(0, used - allowance);
        return ceilDiv(excess, blockSize);
    }

    /** round_half_up(allowance * segmentDays / daysInMonth) in integer arithmetic (R8). */
    public static long prorate(long allowance, long segmentDays, long daysInMonth) {
        if (segmentDays == daysInMonth) {
            return allowance;
        }
        return Math.floorDiv(Math.addExact(Math.multiplyExact(2 * allowance, segmentDays), daysInMonth), 2 * daysInMonth);
    }

    public static BigDecimal credits(long quantity, BigDecimal creditsPerUnit) {
        return BigDecimal.valueOf(quantity).multiply(creditsPerUnit).setScale(CREDIT_SCALE, RoundingMode.HALF_UP);
    }

    public static BigDecimal money(BigDecimal quantity, BigDecimal unitPrice) {
        return quantity.multiply(unitPrice).setScale(MONEY_SCALE, RoundingMode.HALF_UP);
    }

    public static BigDecimal money(long quantity, BigDecimal unitPrice) {
        return money(BigDecimal.valueOf(quantity), unitPrice);
    }

    public static BigDecimal zeroMoney() {
        return BigDecimal.ZERO.setScale(MONEY_SCALE);
    }
}
