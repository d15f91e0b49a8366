package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.callrouter.server.leads.SaleInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/sales} bodies: what is accepted, normalised, and refused with which reason. */
class SaleRequestTest {

    private static final long NOW = 1_773_064_800_000L;

    @Test
    void aSaleIsNormalisedAsTheStoreWouldMatchIt() throws ApiException {
        final SaleInput sale = parse("""
                {"email": " Ann@Example.COM ", "phone": "(415) 555-0123", "lead_ref": "crm-7", "customer_id": "c 9",
                 "amount": 45.5, "currency": "usd", "order_id": "A-1", "sold_at": "2026-03-09T10:00:00-04:00"}""");
        assertEquals("ann@example.com", sale.email());
        assertEquals("+14155550123", sale.phone());
        assertEquals("crm-7", sale.leadRef());
        assertEquals("c 9", sale.customerId());
        assertEquals(new BigDecimal("45.50"), sale.amount());
        assertEquals("USD", sale.currency());
        assertEquals("A-1", sale.orderId());
        assertEquals(1_773_064_800_000L, sale.soldMs());
    }

    @Test
    void optionalFieldsDefault() throws ApiException {
        final SaleInput sale = parse("{\"lead_ref\": \"x\", \"amount\": \"19.9900\", \"currency\": \"EUR\", "
                + "\"order_id\": null}");
        assertNull(sale.email());
        assertNull(sale.orderId());
        assertEquals(NOW, sale.soldMs(), "now when sold_at is absent");
        assertEquals(new BigDecimal("19.99"), sale.amount());
        assertEquals(1_000L, parse("{\"email\": \"a@b.c\", \"amount\": 0, \"currency\": \"USD\", \"sold_at\": 1000}")
                .soldMs());
        assertEquals(new BigDecimal("12345678901234.1234"), parse("{\"email\": \"a@b.c\", \"amount\": "
                + "12345678901234.1234, \"currency\": \"USD\"}").amount(), "exact: no double on the way");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"amount\": 1, \"currency\": \"USD\"}|a sale needs at least one identity",
        "{\"email\": null, \"amount\": 1, \"currency\": \"USD\"}|a sale needs at least one identity",
        "{\"e-mail\": \"a@b.c\", \"amount\": 1, \"currency\": \"USD\"}|unknown field \"e-mail\"",
        "{\"email\": \"a@b.c\", \"email\": \"d@e.f\", \"amount\": 1, \"currency\": \"USD\"}|Duplicate field 'email'",
        "{\"email\": \"ab.c\", \"amount\": 1, \"currency\": \"USD\"}|email: email \"ab.c\" must be name@domain",
        "{\"phone\": \"12\", \"amount\": 1, \"currency\": \"USD\"}|phone: phone \"12\" is not a phone number",
        "{\"email\": 5, \"amount\": 1, \"currency\": \"USD\"}|email must be a string, got a number",
        "{\"email\": \"a@b.c\", \"currency\": \"USD\"}|amount is required",
        "{\"email\": \"a@b.c\", \"amount\": -1, \"currency\": \"USD\"}|amount must be 0 or more, got -1",
        "{\"email\": \"a@b.c\", \"amount\": \"ten\", \"currency\": \"USD\"}|amount must be a decimal number",
        "{\"email\": \"a@b.c\", \"amount\": true, \"currency\": \"USD\"}|amount must be a number, got a boolean",
        "{\"email\": \"a@b.c\", \"amount\": 1.23456, \"currency\": \"USD\"}|at most 14 digits before the point and 4",
        "{\"email\": \"a@b.c\", \"amount\": 1e15, \"currency\": \"USD\"}|at most 14 digits before the point",
        "{\"email\": \"a@b.c\", \"amount\": 1}|currency is required",
        "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"US\"}|currency must be an ISO 4217 code",
        "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"XQQ\"}|currency must be an ISO 4217 code",
        "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"USD\", \"order_id\": \"\"}|order_id must be 1 to 128",
        "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"USD\", \"order_id\": \"é\"}|order_id must be 1 to 128",
        "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"USD\", \"sold_at\": \"yesterday\"}|sold_at must be an ISO-8601",
        "{\"email\": \"a@b.c\", \"amount\": 1, \"currency\": \"USD\", \"sold_at\": -5}|sold_at must be an ISO-8601",
        "[1]|the body must be a JSON object",
        "{\"email\": \"a@b.c\"|the body is not valid JSON",
        "{\"email\": \"a@b.c\"} {}|the body is not valid JSON",
    })
    void badSalesAreRefusedWithTheirReason(String body, String reason) {
        final ApiException refused = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    @Test
    void anEmptyBodyNamesWhatASaleLooksLike() {
        final ApiException refused = assertThrows(ApiException.class, () -> SaleRequest.parse(
                RequestJson.object(new byte[0], "{\"email\": ...}"), "US", NOW));
        assertTrue(refused.getMessage().startsWith("the body must be a JSON object such as {\"email\""),
                refused.getMessage());
    }

    @Test
    void deepNestingIsRefused() {
        final String deep = "{\"email\": \"a@b.c\", \"x\": " + "[".repeat(20) + "]".repeat(20) + "}";
        final ApiException refused = assertThrows(ApiException.class, () -> parse(deep));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("nesting depth"), refused.getMessage());
    }

    private static SaleInput parse(String body) throws ApiException {
        return SaleRequest.parse(RequestJson.object(body.getBytes(StandardCharsets.UTF_8), "{}"), "US", NOW).input();
    }
}
