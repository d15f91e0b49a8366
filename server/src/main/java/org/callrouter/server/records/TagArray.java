package org.callrouter.server.records;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A call's tags as its record keeps them: names and values side by side in one array, in the
 * order they came. A record holds its tags from the INVITE to the end of the call and a while
 * after (for postbacks); with 100,000 live calls a {@code LinkedHashMap}'s entries and table
 * would hold some 40 MB for what takes a fifth of it here. Lookups are linear: a call carries a
 * handful of tags. Filled by one thread, then only read.
 */
final class TagArray extends AbstractMap<String, String> {

    private String[] pairs;
    private int size;

    /** Room for {@code expected} tags (it grows if more come). */
    TagArray(int expected) {
        pairs = new String[Math.max(expected, 1) * 2];
    }

    /** Adds a tag at the end; a name already present takes the new value in its place. */
    void add(String name, String value) {
        final int at = indexOf(name);
        if (at >= 0) {
            pairs[at + 1] = value;
            return;
        }
        if (size * 2 == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[size * 2] = name;
        pairs[size * 2 + 1] = value;
        size++;
    }

    @Override
    public String get(Object name) {
        final int at = indexOf(name);
        return at < 0 ? null : pairs[at + 1];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        final int at = next++ * 2;
                        return new SimpleImmutableEntry<>(pairs[at], pairs[at + 1]);
                    }
                };
            }
        };
    }

    private int indexOf(Object name) {
        for (int i = 0; i < size * 2; i += 2) {
            if (pairs[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
