package com.darbilling.testing;

import com.darbilling.plan.PlanCatalog;

/** Plan catalogs for tests: the Starter card as bundled and a growth card with a credit price. */
public final class Catalogs {
    private static final String STARTER = """
            {"plan_id": "starter", "version": "2020-09-04", "effective_from": "2020-09-04", "included_dar": 2000,
             "overage_block_size": 100, "overage_block_price": 39.00, "currency": "USD", "credits_per_dar": 1,
             "intent_manager_credits_per_dar": 0.2, "cobrowse_credits_per_session": 1,
             "functions_free_invocations": 150000, "functions_block_size": 250, "functions_credits_per_block": 1,
             "max_platform_users": 10}""";
    private static final String GROWTH = """
            {"plan_id": "growth", "version": "2026-01-01", "effective_from": "2026-01-01", "included_dar": 5000,
             "overage_block_size": 100, "overage_block_price": 29.00, "currency": "USD", "credits_per_dar": 1,
             "intent_manager_credits_per_dar": 0.2, "cobrowse_credits_per_session": 1,
             "functions_free_invocations": 300000, "functions_block_size": 250, "functions_credits_per_block": 1,
             "max_platform_users": 25, "credit_price": %s}""";

    private Catalogs() {
    }

    /** Starter (no credit price) and growth at {@code growthCreditPrice} per credit. */
    public static PlanCatalog starterAndGrowth(String growthCreditPrice) {
        return PlanCatalog.parse("[" + STARTER + "," + GROWTH.formatted(growthCreditPrice) + "]", "test catalog");
    }
}
