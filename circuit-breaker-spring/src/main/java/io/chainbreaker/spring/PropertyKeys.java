package io.chainbreaker.spring;

import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Setting;
import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Every valid key under {@code chain-breaker}, read from {@link ChainBreakerProperties} itself so
 * it cannot drift from what binds, and the valid key nearest to a misspelt one. A map's key (a
 * network or token name) is a wildcard {@code *}; list indexes are ignored.
 */
final class PropertyKeys {

  static final String PREFIX = "chain-breaker";

  /** Each key as its elements, e.g. {@code [chain-breaker, networks, *, halt-after]}. */
  private static final List<List<String>> KEYS = collect();

  private PropertyKeys() {}

  /**
   * The valid key nearest to {@code unknown} (fewest edits, ignoring case and dashes), with the
   * unknown key's own map keys and list indexes in place, e.g. {@code
   * chain-breaker.networks.klaytn.halt-after} for {@code chain-breaker.networks.klaytn.halt-afer}.
   */
  static String nearest(ConfigurationPropertyName unknown) {
    List<String> elements = new ArrayList<>();
    List<String> indexes = new ArrayList<>(); // the index following each element, or ""
    for (int i = 0; i < unknown.getNumberOfElements(); i++) {
      String element = unknown.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
      if (unknown.isNumericIndex(i) && !elements.isEmpty()) {
        indexes.set(indexes.size() - 1, "[" + element + "]");
      } else {
        elements.add(element);
        indexes.add("");
      }
    }
    List<String> best = KEYS.get(0);
    int bestDistance = Integer.MAX_VALUE;
    for (List<String> key : KEYS) {
      List<String> candidate = instantiate(key, elements);
      int d = distance(uniform(String.join(".", candidate)), uniform(String.join(".", elements)));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < best.size(); i++) {
      out.append(i == 0 ? "" : ".").append(best.get(i));
      if (best.size() == elements.size()) {
        out.append(indexes.get(i));
      }
    }
    return out.toString();
  }

  /**
   * Whether {@code name} is a valid key: one of the keys with each map key matched by the wildcard
   * and list indexes ignored, in any of the forms relaxed binding accepts.
   */
  static boolean isValid(ConfigurationPropertyName name) {
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      if (!(name.isNumericIndex(i) && i > 0)) {
        elements.add(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
      }
    }
    for (List<String> key : KEYS) {
      if (key.size() == elements.size() && matches(key, elements)) {
        return true;
      }
    }
    return false;
  }

  /** The last elements of the valid keys beside {@code key} (same parent), sorted. */
  static Collection<String> siblings(String key) {
    ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      if (!name.isNumericIndex(i)) {
        elements.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
      }
    }
    TreeSet<String> out = new TreeSet<>();
    for (List<String> k : KEYS) {
      if (k.size() == elements.size()
          && matches(k.subList(0, k.size() - 1), elements.subList(0, elements.size() - 1))) {
        out.add(k.get(k.size() - 1));
      }
    }
    return out;
  }

  private static boolean matches(List<String> pattern, List<String> elements) {
    for (int i = 0; i < pattern.size(); i++) {
      if (!pattern.get(i).equals("*")
          && !uniform(pattern.get(i)).equals(uniform(elements.get(i)))) {
        return false;
      }
    }
    return true;
  }

  /** The key with each wildcard replaced by the unknown key's element at that place. */
  private static List<String> instantiate(List<String> key, List<String> elements) {
    List<String> out = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) {
      String e = key.get(i);
      out.add(e.equals("*") ? (i < elements.size() ? elements.get(i) : "<name>") : e);
    }
    return out;
  }

  private static String uniform(String s) {
    return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static List<List<String>> collect() {
    List<List<String>> keys = new ArrayList<>();
    walk(ChainBreakerProperties.class, List.of(PREFIX), keys);
    return List.copyOf(keys);
  }

  private static void walk(Class<?> type, List<String> prefix, List<List<String>> keys) {
    if (type == NetworkProperties.class) {
      for (Setting<?> setting : NetworkSettings.ALL) {
        List<String> key = new ArrayList<>(prefix);
        key.add(setting.kebabName());
        keys.add(List.copyOf(key));
      }
    }
    for (PropertyDescriptor p : BeanUtils.getPropertyDescriptors(type)) {
      if (p.getReadMethod() == null || p.getName().equals("class")) {
        continue;
      }
      List<String> key = new ArrayList<>(prefix);
      key.add(PropertiesMapper.kebab(p.getName()));
      add(p.getReadMethod().getGenericReturnType(), key, keys);
    }
  }

  /** Whether {@code c} is one of the starter's properties classes, whose keys are walked. */
  private static boolean isPropertiesClass(Class<?> c) {
    if (c.isEnum() || c.getPackage() != ChainBreakerProperties.class.getPackage()) {
      return false;
    }
    Class<?> outer = c.getEnclosingClass();
    return c.getSimpleName().endsWith("Properties") || (outer != null && isPropertiesClass(outer));
  }

  private static void add(Type type, List<String> key, List<List<String>> keys) {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] arguments = parameterized.getActualTypeArguments();
      if (Map.class.isAssignableFrom(raw)) {
        List<String> entry = new ArrayList<>(key);
        entry.add("*");
        add(arguments[1], entry, keys);
        return;
      }
      if (Collection.class.isAssignableFrom(raw)) {
        add(arguments[0], key, keys); // indexes are not part of the key
        return;
      }
    }
    if (type instanceof Class<?> c && isPropertiesClass(c)) {
      walk(c, key, keys);
    } else {
      keys.add(List.copyOf(key));
    }
  }
}
