package io.wdrf.api;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable string set backed by one sorted array: ascending iteration (as the {@code TreeSet} copy it replaces) and
 * a linear lookup that compares references first. It holds a workload's true condition types: a handful of strings,
 * mostly the very constants {@link Workload#phase()} asks for, asked for several times per workload and cycle, and
 * copied with every new version of the workload (a priority write); a copy of a set of this class is the set itself.
 */
final class SortedArraySet extends AbstractSet<String> {

    private static final SortedArraySet EMPTY = new SortedArraySet(new String[0]);

    private final String[] elements;

    private SortedArraySet(String[] elements) {
        this.elements = elements;
    }

    /** {@code source} as an immutable sorted set; the set itself when it is one already. Null elements are rejected. */
    static Set<String> copyOf(Set<String> source) {
        if (source instanceof SortedArraySet s) {
            return s;
        }
        if (source.isEmpty()) {
            return EMPTY;
        }
        String[] e = new String[source.size()];
        int i = 0;
        for (String s : source) {
            if (i == e.length) { // a concurrently grown source: take what it holds now
                e = Arrays.copyOf(e, i * 2);
            }
            e[i++] = Objects.requireNonNull(s, "set element");
        }
        e = i == e.length ? e : Arrays.copyOf(e, i);
        Arrays.sort(e);
        int k = 0;
        for (int j = 0; j < e.length; j++) { // a set's elements are distinct; a concurrently changed source may not be
            if (k == 0 || !e[k - 1].equals(e[j])) {
                e[k++] = e[j];
            }
        }
        return new SortedArraySet(k == e.length ? e : Arrays.copyOf(e, k));
    }

    @Override
    public int size() {
        return elements.length;
    }

    @Override
    public boolean contains(Object o) {
        String[] e = elements;
        for (String s : e) { // references first: the asked-for types are usually the same constants
            if (s == o) {
                return true;
            }
        }
        if (!(o instanceof String str)) {
            return false;
        }
        for (String s : e) {
            if (s.equals(str)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.asList(elements).iterator(); // a view of the array, in order; its remove is unsupported
    }
}
