package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.callrouter.routing.lead.CreditModel;
import org.junit.jupiter.api.Test;

/** The top-level {@code attribution:} section. */
class AttributionConfigTest {

    private static final Path FILE = Path.of("config/test.yaml");

    private static List<String> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE)).errors().stream()
                .map(ConfigError::toString).toList();
    }

    @Test
    void absentIsFirstTouchIgnoringNothing() throws ConfigException {
        assertEquals(AttributionConfig.DEFAULT, ConfigLoader.parse("{}", FILE).attribution());
    }

    @Test
    void numbersAreNormalisedInTheDefaultRegionAndEmailsCaseFolded() throws ConfigException {
        AttributionConfig config = ConfigLoader.parse("""
                default_region: GB
                attribution:
                  credit: last_touch
                  ignore:
                    numbers: ["020 7946 0000", "+1 (555) 123-0001", "+15551230001"]
                    emails: [" Sales@Shop.Example "]
                """, FILE).attribution();
        assertEquals(new AttributionConfig(CreditModel.LAST_TOUCH, List.of("+442079460000", "+15551230001"),
                List.of("sales@shop.example"), "GB"), config);
    }

    @Test
    void badValuesNameFileLineAndField() {
        assertEquals(List.of(
                "config/test.yaml:2:11: attribution.credit: unknown credit model \"first\"; use first_touch or last_touch",
                "config/test.yaml:4:15: attribution.ignore.numbers[0]: phone \"sales\" is not a phone number",
                "config/test.yaml:5:14: attribution.ignore.emails[0]: email \"nobody\" must be name@domain with one @",
                "config/test.yaml:6:3: attribution.ignores: unknown key (did you mean 'ignore'?)"),
                errors("""
                        attribution:
                          credit: first
                          ignore:
                            numbers: [sales]
                            emails: [nobody]
                          ignores: {}
                        """));
    }
}
