package io.wdrf.engine;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An unmodifiable map computed on first use (then kept): for report fields that most cycles never read, such as the
 * fair shares of a {@link CycleReport}, which cost a water-filling over every tenant. Thread-safe; the supplier runs
 * at most once and must return an unmodifiable map.
 */
final class LazyMap<K, V> extends AbstractMap<K, V> {

    private Supplier<Map<K, V>> supplier;
    private volatile Map<K, V> value;

    LazyMap(Supplier<Map<K, V>> supplier) {
        this.supplier = Objects.requireNonNull(supplier, "supplier");
    }

    private Map<K, V> value() {
        Map<K, V> v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(supplier.get(), "lazy map value");
                    value = v;
                    supplier = null;
                }
            }
        }
        return v;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return value().entrySet();
    }

    @Override
    public V get(Object key) {
        return value().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return value().containsKey(key);
    }

    @Override
    public int size() {
        return value().size();
    }
}
