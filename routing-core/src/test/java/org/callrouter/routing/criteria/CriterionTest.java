package org.callrouter.routing.criteria;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CriterionTest {

    /** Tags from a map; built-in tags are looked up by their name too. */
    private static Tags tags(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return (builtin, name) -> map.get(builtin != null ? builtin.tagName() : name);
    }

    private static boolean test(String criterion, String... pairs) throws CriterionSyntaxException {
        return Criterion.parse(criterion).test(tags(pairs));
    }

    @ParameterizedTest(name = "{0} with {1}={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // numeric comparisons when both sides are numbers
        "age < 65      | age | 64    | true",
        "age < 65      | age | 65    | false",
        "age <= 65     | age | 65    | true",
        "age <= 65     | age | 65.5  | false",
        "age > 65      | age | 100   | true",
        "age > 65      | age | 9     | false",
        "age >= 65     | age | 65.0  | true",
        "age >= 65     | age | 64.99 | false",
        "age == 65     | age | 65.00 | true",
        "age == 65     | age | 065   | true",
        "age != 65     | age | 65.0  | false",
        "age != 65     | age | 66    | true",
        "score > -1.5  | score | -1  | true",
        // text comparisons otherwise, ignoring case; < > lexicographic
        "state == CA   | state | ca  | true",
        "state == CA   | state | CAL | false",
        "state != CA   | state | NY  | true",
        "state != CA   | state | Ca  | false",
        "age < 65      | age | ten   | false",
        "date < 2026-03-08 | date | 2026-01-31 | true",
        "date >= 2026-03-08 | date | 2026-03-08 | true",
        "name > m      | name | Zed   | true",
        // lists
        "caller_state in [CA, NY, TX] | caller_state | NY | true",
        "caller_state in [CA, NY, TX] | caller_state | ny | true",
        "caller_state in [CA, NY, TX] | caller_state | FL | false",
        "caller_state not in [CA, NY] | caller_state | FL | true",
        "caller_state not in [CA, NY] | caller_state | CA | false",
        "zip in [90210, 10001]        | zip | 090210 | true",
        "city in ['Fort Lee', \"New York, NY\"] | city | New York, NY | true",
        "city in ['Fort Lee', \"New York, NY\"] | city | New York | false",
        // presence
        "publisher_id exists  | publisher_id | 17 | true",
        "publisher_id missing | publisher_id | 17 | false",
        // quoted values
        "label == 'two words' | label | Two Words | true",
        "label == \"a,b\"     | label | a,b | true",
    })
    void operators(String criterion, String tag, String value, boolean expected) throws CriterionSyntaxException {
        assertEquals(expected, test(criterion, tag, value));
    }

    @Test
    void aMissingOrEmptyTagOnlyMeetsMissing() throws CriterionSyntaxException {
        for (String criterion : List.of("age < 65", "age > 65", "age == 65", "age != 65", "age <= 1", "age >= 1",
                "age in [1, 2]", "age not in [1, 2]", "age exists")) {
            assertFalse(test(criterion), criterion);
            assertFalse(test(criterion, "age", ""), criterion + " with an empty value");
        }
        assertTrue(test("age missing"));
        assertTrue(test("age missing", "age", ""));
    }

    @Test
    void builtinTagsAreResolvedOnce() throws CriterionSyntaxException {
        Criterion builtin = Criterion.parse("caller_state == CA");
        assertSame(BuiltinTag.CALLER_STATE, builtin.builtin());
        Criterion custom = Criterion.parse("publisher_id exists");
        assertEquals(null, custom.builtin());
        assertEquals(Operator.EXISTS, custom.operator());
        assertEquals(List.of(), custom.values());
    }

    @Test
    void spacingIsFree() throws CriterionSyntaxException {
        Criterion c = Criterion.parse("  age<=65 ");
        assertEquals("age<=65", c.text());
        assertEquals(Operator.LE, c.operator());
        assertEquals(List.of("65"), c.values());
        assertEquals(Operator.NOT_IN, Criterion.parse("s NOT   IN [a]").operator());
        assertEquals(List.of("a", "b c"), Criterion.parse("s in [ a ,'b c' ]").values());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                     | empty criterion",
        "'== 5'                 | expected a tag name",
        "age                    | expected an operator after 'age'",
        "age = 65               | unknown operator '=' (did you mean '=='?)",
        "age ~ 65               | unknown operator '~ 65'",
        "age <                  | expected a value after '<'",
        "s in CA                | expected a list such as [CA, NY] after 'in'",
        "s in []                | the list is empty",
        "s in [a,,b]            | empty item in the list",
        "s in [a] x             | unexpected text after the list",
        "s in ['a' b]           | expected ',' or ']' in the list",
        "s not [a]              | expected 'in' after 'not'",
        "s exists now           | 'exists' takes no value",
        "s == 'open             | unterminated quote '",
        "s == [a]               | a list needs 'in' or 'not in', not '=='",
    })
    void syntaxErrorsSayWhatWasExpected(String criterion, String message) {
        CriterionSyntaxException e = assertThrows(CriterionSyntaxException.class, () -> Criterion.parse(criterion));
        assertTrue(e.getMessage().startsWith(message), () -> e.getMessage() + " should start with " + message);
        assertTrue(e.column() >= 1);
    }

    @Test
    void numericParsingCoversEdgeCases() {
        assertEquals(42.0, Numeric.parse("42"));
        assertEquals(-0.5, Numeric.parse("-0.5"));
        assertEquals(3.25, Numeric.parse("+3.25"));
        assertEquals(12345678901234567890.0, Numeric.parse("12345678901234567890"));
        assertEquals(0.1, Numeric.parse("0.1000000000000000000001"), 1e-15);
        for (String text : List.of("", "-", ".5", "5.", "1.2.3", "1e3", "0x10", "+", "12a")) {
            assertTrue(Double.isNaN(Numeric.parse(text)), text);
        }
    }
}
