package com.darbilling.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The arithmetic of the rules, in integers and BigDecimal only (R3, R4, R6, R8, R9). */
public final class BillingMath {
    public static final int MONEY_SCALE = 2;
    public static final int CREDIT_SCALE = 4;

    private BillingMath() {
    }

    /**
     * {@code a / b} rounded up ({@code CEILING}: R3's and R6's blocks) or half up ({@code HALF_UP}: R8's
     * proration, the projections), in integers, for {@code a >= 0} and {@code b > 0}; the one rounded
     * division of the rules, as Guava's {@code LongMath.divide} for these two modes.
     */
    public static long divide(long a, long b, RoundingMode mode) {
        if (a < 0 || b <= 0) {
            throw new IllegalArgumentException("divide(" + a + ", " + b + "): needs a >= 0 and b > 0");
        }
        return switch (mode) {
            case CEILING -> Math.floorDiv(Math.addExact(a, b - 1), b);
            case HALF_UP -> Math.floorDiv(Math.addExact(Math.multiplyExact(2, a), b), Math.multiplyExact(2, b));
            default -> throw new IllegalArgumentException("divide: the rules round CEILING or HALF_UP, not " + mode);
        };
    }

    /** Blocks of {@code blockSize} needed to cover what exceeds {@code allowance} (R3, R6). */
    public static long blocksAbove(long used, long allowance, long blockSize) {
        return divide(Math.max(0, used - allowance), blockSize, RoundingMode.CEILING);
    }

    /** round_half_up(allowance * segmentDays / daysInMonth) in integer arithmetic (R8). */
    public static long prorate(long allowance, long segmentDays, long daysInMonth) {
        return divide(Math.multiplyExact(allowance, segmentDays), daysInMonth, RoundingMode.HALF_UP);
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
