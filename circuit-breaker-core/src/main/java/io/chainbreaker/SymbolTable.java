package io.chainbreaker;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable open-addressing map from token symbol to value, for the query hot path: keys and
 * values interleaved in one array (one cache line for both), sized to a load factor of at most 1/4
 * so that a lookup almost always ends at the first slot, and allocation-free. Measured against
 * {@code HashMap} in {@code QueryBenchmark} (see the README's performance section).
 */
final class SymbolTable<V> {

  private final Object[] table;
  private final int mask;

  SymbolTable(Map<String, V> entries) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
    table = new Object[capacity * 2];
    mask = capacity - 1;
    for (Map.Entry<String, V> e : entries.entrySet()) {
      int i = spread(e.getKey().hashCode()) & mask;
      while (table[2 * i] != null) {
        i = (i + 1) & mask;
      }
      table[2 * i] = e.getKey();
      table[2 * i + 1] = e.getValue();
    }
  }

  @SuppressWarnings("unchecked")
  @Nullable V get(String key) {
    for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
      Object k = table[2 * i];
      if (k == null) {
        return null;
      }
      if (k == key || key.equals(k)) {
        return (V) table[2 * i + 1];
      }
    }
  }

  private static int spread(int h) {
    return (h ^ (h >>> 16)) * 0x9E3779B9;
  }
}
