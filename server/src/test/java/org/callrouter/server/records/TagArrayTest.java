package org.callrouter.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.callrouter.server.RepeatedStrings;
import org.junit.jupiter.api.Test;

class TagArrayTest {

    @Test
    void keepsTheOrderTagsCameInAndAnswersLikeAMap() {
        final TagArray tags = new TagArray(2);
        tags.add("caller_state", "CA");
        tags.add("age", "42");
        tags.add("publisher_id", "P-9"); // past the expected size: grows

        final Map<String, String> expected = new LinkedHashMap<>();
        expected.put("caller_state", "CA");
        expected.put("age", "42");
        expected.put("publisher_id", "P-9");
        assertEquals(expected, tags);
        assertEquals(expected.hashCode(), tags.hashCode());
        assertEquals(List.of("caller_state", "age", "publisher_id"), new ArrayList<>(tags.keySet()));
        assertEquals("42", tags.get("age"));
        assertTrue(tags.containsKey("publisher_id"));
        assertNull(tags.get("missing"));
        assertFalse(tags.containsKey("missing"));
        assertEquals(3, tags.size());
    }

    @Test
    void aRepeatedNameTakesTheNewValueInPlace() {
        final TagArray tags = new TagArray(3);
        tags.add("a", "1");
        tags.add("b", "2");
        tags.add("a", "3");
        assertEquals(2, tags.size());
        assertEquals(List.of(Map.entry("a", "3"), Map.entry("b", "2")), new ArrayList<>(tags.entrySet()));
    }

    @Test
    void isReadOnlyAndItsIteratorEnds() {
        final TagArray tags = new TagArray(0);
        assertTrue(tags.isEmpty());
        tags.add("a", "1");
        assertThrows(UnsupportedOperationException.class, () -> tags.put("b", "2"));
        final Iterator<Map.Entry<String, String>> it = tags.entrySet().iterator();
        it.next();
        assertThrows(UnsupportedOperationException.class, it::remove);
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void repeatedStringsShareOneInstance() {
        final RepeatedStrings repeated = new RepeatedStrings();
        final String first = repeated.canonical(new String("acme-sales"));
        assertSame(first, repeated.canonical(new String("acme-sales")));
        assertNull(repeated.canonical(null));
        // Whatever collides in the table, the value is always equal to what was asked for.
        for (int i = 0; i < 5_000; i++) {
            final String value = "handler-" + i;
            assertEquals(value, repeated.canonical(value));
        }
        assertEquals("acme-sales", repeated.canonical(new String("acme-sales")));
    }
}
