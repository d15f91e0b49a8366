package org.callrouter.server.admin;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.routing.lead.Identity;
import org.callrouter.server.leads.SaleInput;

/**
 * The body of {@code POST /v1/sales}, checked field by field:
 * {@code {"email", "phone", "lead_ref", "customer_id", "amount", "currency", "order_id", "sold_at"}}.
 * At least one identity; identities are normalised as the store would (a refusal names the
 * field); {@code amount} a JSON number or a decimal string, 0 or more, at most 4 decimals and 14
 * integer digits (the store's {@code DECIMAL(18,4)}); {@code currency} an ISO 4217 code;
 * {@code order_id} optional, 1 to 128 printable ASCII characters; {@code sold_at} optional
 * (an ISO-8601 time or epoch milliseconds; now when absent). An unknown field is refused rather
 * than ignored: a misspelt {@code "e-mail"} would otherwise make an unattributed lead.
 */
record SaleRequest(SaleInput input) {

    private static final int MAX_ORDER_ID_CHARS = 128;
    private static final int MAX_SCALE = 4;
    private static final int MAX_INTEGER_DIGITS = 14;
    private static final String FIELDS = "email, phone, lead_ref, customer_id, amount, currency, order_id, sold_at";

    /**
     * @param defaultRegion {@code default_region}, for phone numbers without a country code.
     * @param nowMs         the sale's time when {@code sold_at} is absent.
     */
    static SaleRequest parse(JsonNode body, String defaultRegion, long nowMs) throws ApiException {
        for (Iterator<Map.Entry<String, JsonNode>> f = body.fields(); f.hasNext(); ) {
            final String name = f.next().getKey();
            if (!(", " + FIELDS + ",").contains(", " + name + ",")) {
                throw ApiException.invalid(name, "unknown field \"" + name + "\"; a sale has " + FIELDS);
            }
        }
        final String email = identity(body, LeadsApi.IdentityField.EMAIL, defaultRegion);
        final String phone = identity(body, LeadsApi.IdentityField.PHONE, defaultRegion);
        final String leadRef = identity(body, LeadsApi.IdentityField.LEAD_REF, defaultRegion);
        final String customerId = identity(body, LeadsApi.IdentityField.CUSTOMER_ID, defaultRegion);
        if (email == null && phone == null && leadRef == null && customerId == null) {
            throw new ApiException(400, "a sale needs at least one identity to match its lead: email, phone, "
                    + "lead_ref or customer_id");
        }
        return new SaleRequest(new SaleInput(email, phone, leadRef, customerId, amount(body.get("amount")),
                currency(body.get("currency")), orderId(body.get("order_id")), soldAt(body.get("sold_at"), nowMs)));
    }

    /** The field's identity, normalised; null when absent. */
    private static String identity(JsonNode body, LeadsApi.IdentityField field, String defaultRegion)
            throws ApiException {
        final JsonNode value = body.get(field.wire);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Identity.parse(field.kind, LeadsApi.text(value, field.wire), defaultRegion).value();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field.wire, field.wire + ": " + e.getMessage());
        }
    }

    private static BigDecimal amount(JsonNode value) throws ApiException {
        if (value == null || value.isNull()) {
            throw ApiException.invalid("amount", "amount is required: a number such as 45.00");
        }
        BigDecimal amount;
        if (value.isNumber()) {
            amount = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                amount = new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("amount",
                        "amount must be a decimal number such as 45.00, got \"" + value.asText()
                        + "\"");
            }
        } else {
            throw ApiException.invalid("amount", "amount must be a number, got " + RequestJson.type(value));
        }
        if (amount.signum() < 0) {
            throw ApiException.invalid("amount", "amount must be 0 or more, got " + amount.toPlainString());
        }
        amount = amount.stripTrailingZeros();
        if (amount.scale() > MAX_SCALE || amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
            throw ApiException.invalid("amount",
                    "amount must have at most " + MAX_INTEGER_DIGITS + " digits before the point "
                    + "and " + MAX_SCALE + " after it, got " + amount.toPlainString());
        }
        return amount.setScale(Math.max(2, amount.scale()));
    }

    private static String currency(JsonNode value) throws ApiException {
        if (value == null || value.isNull()) {
            throw ApiException.invalid("currency", "currency is required: an ISO 4217 code such as USD");
        }
        final String code = LeadsApi.text(value, "currency").trim().toUpperCase(Locale.ROOT);
        try {
            if (code.length() == 3 && Currency.getInstance(code) != null) {
                return code;
            }
        } catch (IllegalArgumentException e) {
            // not a code the JDK knows: refused below
        }
        throw ApiException.invalid("currency",
                "currency must be an ISO 4217 code such as USD, got \"" + value.asText() + "\"");
    }

    private static String orderId(JsonNode value) throws ApiException {
        if (value == null || value.isNull()) {
            return null;
        }
        final String id = LeadsApi.text(value, "order_id").trim();
        if (id.isEmpty() || id.length() > MAX_ORDER_ID_CHARS || !id.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw ApiException.invalid("order_id",
                    "order_id must be 1 to " + MAX_ORDER_ID_CHARS + " printable ASCII characters");
        }
        return id;
    }

    private static long soldAt(JsonNode value, long nowMs) throws ApiException {
        if (value == null || value.isNull()) {
            return nowMs;
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
            return value.asLong();
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("sold_at",
                    "sold_at must be an ISO-8601 time such as 2026-03-09T14:00:00Z or epoch "
                    + "milliseconds, got " + (value.isNumber() ? value.asText() : RequestJson.type(value)));
        }
        return AdminApi.instant("sold_at", value.asText().trim());
    }
}
