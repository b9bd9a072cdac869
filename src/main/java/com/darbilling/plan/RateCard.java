package com.darbilling.plan;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One version of a plan's rate card (R8). In force for billing months whose first day is on or
 * after {@code effectiveFrom}. {@code creditPrice} is null when credits carry no money amount.
 */
public record RateCard(
        String planId,
        String version,
        LocalDate effectiveFrom,
        long includedDar,
        long overageBlockSize,
        BigDecimal overageBlockPrice,
        String currency,
        BigDecimal creditsPerDar,
        BigDecimal intentManagerCreditsPerDar,
        BigDecimal cobrowseCreditsPerSession,
        long functionsFreeInvocations,
        long functionsBlockSize,
        BigDecimal functionsCreditsPerBlock,
        long maxPlatformUsers,
        // The one optional field: PlanCatalog fails on every other null or absent field.
        @JsonSetter(nulls = Nulls.SET) BigDecimal creditPrice) {

    public RateCard {
        requireText(planId, "plan_id");
        requireText(version, "version");
        Objects.requireNonNull(effectiveFrom, "rate card " + planId + ": effective_from is required");
        requireText(currency, "currency");
        requireNonNegative(includedDar, "included_dar", planId, version);
        requirePositive(overageBlockSize, "overage_block_size", planId, version);
        requireNonNegative(overageBlockPrice, "overage_block_price", planId, version);
        requireCents(overageBlockPrice, "overage_block_price", planId, version);
        requireNonNegative(creditsPerDar, "credits_per_dar", planId, version);
        requireNonNegative(intentManagerCreditsPerDar, "intent_manager_credits_per_dar", planId, version);
        requireNonNegative(cobrowseCreditsPerSession, "cobrowse_credits_per_session", planId, version);
        requireNonNegative(functionsFreeInvocations, "functions_free_invocations", planId, version);
        requirePositive(functionsBlockSize, "functions_block_size", planId, version);
        requireNonNegative(functionsCreditsPerBlock, "functions_credits_per_block", planId, version);
        requireNonNegative(maxPlatformUsers, "max_platform_users", planId, version);
        if (creditPrice != null) {
            requireNonNegative(creditPrice, "credit_price", planId, version);
            requireCents(creditPrice, "credit_price", planId, version);
        }
    }

    public String key() {
        return planId + "@" + version;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("rate card: " + field + " is required");
        }
    }

    private static void requireNonNegative(long value, String field, String planId, String version) {
        if (value < 0) {
            throw new IllegalArgumentException(cardName(planId, version) + ": " + field + " must be >= 0, found " + value);
        }
    }

    private static void requirePositive(long value, String field, String planId, String version) {
        if (value <= 0) {
            throw new IllegalArgumentException(cardName(planId, version) + ": " + field + " must be > 0, found " + value);
        }
    }

    private static void requireNonNegative(BigDecimal value, String field, String planId, String version) {
        if (value == null) {
            throw new IllegalArgumentException(cardName(planId, version) + ": " + field + " is required");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(cardName(planId, version) + ": " + field + " must be >= 0, found " + value.toPlainString());
        }
    }

    /** Prices are money: unit_price is DECIMAL(18,2), so a price with finer than cents cannot be shown. */
    private static void requireCents(BigDecimal value, String field, String planId, String version) {
        if (value.stripTrailingZeros().scale() > BillingMath.MONEY_SCALE) {
            throw new IllegalArgumentException(cardName(planId, version) + ": " + field + " has more than 2 decimals: "
                    + value.toPlainString());
        }
    }

    private static String cardName(String planId, String version) {
        return "rate card " + planId + " version " + version;
    }
}
