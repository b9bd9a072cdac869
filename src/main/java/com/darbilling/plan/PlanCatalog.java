package com.darbilling.plan;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The versioned rate cards, read from a JSON array with the field names of R8. */
public final class PlanCatalog {
    public static final String BUNDLED_RESOURCE = "/plan-catalog.json";

    private static final PropertyNamingStrategies.NamingBase NAMING = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /**
     * Binds rate cards as strictly as the catalog's format reads: money stays exact (floats as
     * BigDecimal), a missing or null field fails (credit_price alone may be absent, see RateCard),
     * text, whole numbers and dates are not guessed from other JSON types, a number may be written
     * as a string ("39.00"), and fields this version does not know are ignored.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .propertyNamingStrategy(NAMING)
            .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL))
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail).setAcceptBlankAsEmpty(false))
            .addModule(new SimpleModule().addDeserializer(LocalDate.class, new IsoDate()))
            .build();

    private static final String DATE = "a date yyyy-MM-dd";
    private static final Map<String, String> EXPECTED = expectedValues();

    private final List<RateCard> cards;

    public PlanCatalog(List<RateCard> cards) {
        Set<String> keys = new HashSet<>();
        Map<String, RateCard> byStart = new HashMap<>();
        for (RateCard card : cards) {
            if (!keys.add(card.key())) {
                throw new IllegalArgumentException("plan catalog: rate card " + card.planId() + " version " + card.version() + " appears twice");
            }
            // Two versions starting on one day: which is in force would depend on the order of the file.
            RateCard sameStart = byStart.putIfAbsent(card.planId() + "|" + card.effectiveFrom(), card);
            if (sameStart != null) {
                throw new IllegalArgumentException("plan catalog: plan " + card.planId() + " has versions " + sameStart.version() + " and "
                        + card.version() + " with the same effective_from " + card.effectiveFrom() + "; give each version its own start");
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
        try {
            return JSON.treeToValue(node, RateCard.class);
        } catch (ValueInstantiationException e) {
            // One of RateCard's own checks: its message names the card and the field.
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(fieldError(node, e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** Jackson's error for a field, told as the catalog's author needs it: the field, what it must be, what it is. */
    private static String fieldError(JsonNode card, JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String field = path.isEmpty() ? null : path.get(path.size() - 1).getFieldName();
        if (field == null || !EXPECTED.containsKey(field)) {
            return e.getOriginalMessage();
        }
        JsonNode value = card.get(field);
        if (value == null || value.isNull()) {
            return "field " + field + " is missing";
        }
        if (EXPECTED.get(field).equals(DATE)) {
            return value.isTextual()
                    ? "field " + field + " must be " + DATE + ", found " + value.asText()
                    : "field " + field + " must be a string, found " + value;
        }
        return "field " + field + " must be " + EXPECTED.get(field) + ", found " + value;
    }

    /** What each field of a rate card must be, by its JSON name. */
    private static Map<String, String> expectedValues() {
        Map<Class<?>, String> byType = Map.of(String.class, "a string", long.class, "a whole number",
                BigDecimal.class, "a number", LocalDate.class, DATE);
        Map<String, String> expected = new HashMap<>();
        for (RecordComponent component : RateCard.class.getRecordComponents()) {
            expected.put(NAMING.translate(component.getName()), byType.get(component.getType()));
        }
        return Map.copyOf(expected);
    }

    /**
     * Dates are ISO strings only: Jackson's JavaTimeModule would also take [2020, 9, 4] arrays and
     * epoch days, which a catalog never meant.
     */
    private static final class IsoDate extends StdScalarDeserializer<LocalDate> {
        IsoDate() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (LocalDate) context.handleUnexpectedToken(LocalDate.class, parser);
            }
            try {
                return LocalDate.parse(parser.getText());
            } catch (DateTimeParseException e) {
                return (LocalDate) context.handleWeirdStringValue(LocalDate.class, parser.getText(), e.getMessage());
            }
        }
    }
}
