package com.darbilling.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The versioned rate cards, read from a JSON array with the field names of R8. */
public final class PlanCatalog {
    public static final String BUNDLED_RESOURCE = "/plan-catalog.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final List<RateCard> cards;

    public PlanCatalog(List<RateCard> cards) {
        Set<String> keys = new HashSet<>();
        for (RateCard card : cards) {
            if (!keys.add(card.key())) {
                throw new IllegalArgumentException("plan catalog: rate card " + card.planId() + " version " + card.version() + " appears twice");
            }
        }
        this.cards = List.copyOf(cards);
    }

    /** The catalog shipped with the project: the Starter card, version 2020-09-04. */
    public static PlanCatalog bundled() {
        try (InputStream in = PlanCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled plan catalog " + BUNDLED_RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled catalog");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PlanCatalog load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("plan catalog " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static PlanCatalog parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("plan catalog " + source + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("plan catalog " + source + ": expected a JSON array of rate cards");
        }
        List<RateCard> cards = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                cards.add(toCard(root.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("plan catalog " + source + ", card #" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new PlanCatalog(cards);
    }

    public List<RateCard> cards() {
        return cards;
    }

    /** The card of {@code planId} in force for {@code month}: latest effective_from on or before its first day. */
    public RateCard cardFor(String planId, YearMonth month) {
        return find(planId, month).orElseThrow(() -> new IllegalArgumentException(
                cards.stream().anyMatch(c -> c.planId().equals(planId))
                        ? "plan " + planId + " has no rate card in force for " + month + " (every version starts later)"
                        : "plan " + planId + " is not in the plan catalog"));
    }

    public Optional<RateCard> find(String planId, YearMonth month) {
        LocalDate firstDay = month.atDay(1);
        return cards.stream()
                .filter(c -> c.planId().equals(planId) && !c.effectiveFrom().isAfter(firstDay))
                .max(Comparator.comparing(RateCard::effectiveFrom));
    }

    private static RateCard toCard(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return new RateCard(
                text(node, "plan_id"),
                text(node, "version"),
                date(node, "effective_from"),
                integer(node, "included_dar"),
                integer(node, "overage_block_size"),
                decimal(node, "overage_block_price"),
                text(node, "currency"),
                decimal(node, "credits_per_dar"),
                decimal(node, "intent_manager_credits_per_dar"),
                decimal(node, "cobrowse_credits_per_session"),
                integer(node, "functions_free_invocations"),
                integer(node, "functions_block_size"),
                decimal(node, "functions_credits_per_block"),
                integer(node, "max_platform_users"),
                optionalDecimal(node, "credit_price"));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("field " + field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " must be a string, found " + value);
        }
        return value.asText();
    }

    private static LocalDate date(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field " + field + " must be a date yyyy-MM-dd, found " + text, e);
        }
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field " + field + " must be a whole number, found " + value);
        }
        return value.asLong();
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        return toDecimal(required(node, field), field);
    }

    private static BigDecimal optionalDecimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : toDecimal(value, field);
    }

    /** Numbers are read as exact decimals; a numeric string ("39.00") is accepted too. */
    private static BigDecimal toDecimal(JsonNode value, String field) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field " + field + " must be a number, found " + value, e);
            }
        }
        throw new IllegalArgumentException("field " + field + " must be a number, found " + value);
    }
}
