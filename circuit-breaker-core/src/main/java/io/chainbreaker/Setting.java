package io.chainbreaker;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One per-network setting described once: its builder name, type, default, accepted values and doc,
 * how to set it on a {@link NetworkConfig.Builder} and read it back from a {@link NetworkConfig},
 * and how to read it from text. Every source of configuration (Spring properties, catalog files,
 * command-line flags) and the configuration reference are derived from the list in {@link
 * NetworkSettings#ALL}.
 *
 * @param <T> the value's type (boxed for numbers)
 */
public final class Setting<T> {

  private static final Pattern DURATION =
      Pattern.compile("([-+]?\\d+)(ns|us|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private final String name;
  private final Class<T> type;
  private final @Nullable T defaultValue;
  private final String defaultText;
  private final String accepts;
  private final String doc;
  private final String example;
  private final BiConsumer<NetworkConfig.Builder, T> apply;
  private final Function<NetworkConfig, @Nullable T> read;

  private Setting(
      String name,
      Class<T> type,
      @Nullable T defaultValue,
      String defaultText,
      String accepts,
      String doc,
      String example,
      BiConsumer<NetworkConfig.Builder, T> apply,
      Function<NetworkConfig, @Nullable T> read) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.accepts = accepts;
    this.doc = doc;
    this.example = example;
    this.apply = apply;
    this.read = read;
  }

  /**
   * A setting named {@code name} (the builder method's name, e.g. {@code haltAfter}) of {@code
   * type}, set with {@code apply} and read back with {@code read}; {@code doc} is one sentence and
   * {@code example} a valid value that is not the default, as a user writes it ({@code 45s}). Give
   * its default and accepted values with {@link #byDefault} or {@link #derived} and {@link
   * #accepting}.
   */
  static <T> Setting<T> of(
      String name,
      Class<T> type,
      BiConsumer<NetworkConfig.Builder, T> apply,
      Function<NetworkConfig, @Nullable T> read,
      String doc,
      String example) {
    return new Setting<>(name, type, null, "none", "", doc, example, apply, read);
  }

  /** This setting with a fixed default value. */
  Setting<T> byDefault(T value) {
    return new Setting<>(name, type, value, format(value), accepts, doc, example, apply, read);
  }

  /** This setting with a default derived from others, described in words. */
  Setting<T> derived(String description) {
    return new Setting<>(name, type, null, description, accepts, doc, example, apply, read);
  }

  /** This setting with its accepted values described (the builder enforces them). */
  Setting<T> accepting(String description) {
    return new Setting<>(
        name, type, defaultValue, defaultText, description, doc, example, apply, read);
  }

  /** The builder name, e.g. {@code haltAfter}; conflicts name settings this way. */
  public String name() {
    return name;
  }

  /** The name in kebab case, e.g. {@code halt-after}: the Spring key, file key and CLI flag. */
  public String kebabName() {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The value's type: {@link Duration}, {@link Integer}, {@link Long}, {@link Double}, ... */
  public Class<T> type() {
    return type;
  }

  /** The default value, or null when there is none or it is derived from other settings. */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  /** The default as the reference shows it: a value ({@code 12s}) or a sentence. */
  public String defaultText() {
    return defaultText;
  }

  /** What values are accepted, in words (empty when any value of the type is). */
  public String accepts() {
    return accepts;
  }

  /** What the setting does, in one sentence. */
  public String doc() {
    return doc;
  }

  /** A valid value that is not the default, as a user writes it. */
  public String example() {
    return example;
  }

  /** Sets {@code value} on {@code builder}, which checks it (and may throw naming it). */
  public void apply(NetworkConfig.Builder builder, T value) {
    apply.accept(builder, Objects.requireNonNull(value, name));
  }

  /** Reads {@code text} (see {@link #parse}) and sets it on {@code builder}. */
  public void applyText(NetworkConfig.Builder builder, @Nullable Object text) {
    apply(builder, parse(text));
  }

  /** The value in force on {@code config} (null where the setting is off, e.g. no feed). */
  public @Nullable T read(NetworkConfig config) {
    return read.apply(config);
  }

  /**
   * The value written in {@code raw}: text from a flag, or a YAML scalar (a number, a boolean, a
   * string). Durations as Spring writes them ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
   * {@code PT30S}; a bare number is milliseconds), enum constants ignoring case and {@code -}
   * versus {@code _}.
   *
   * @throws IllegalArgumentException saying what the value is not, e.g. {@code '30x' is not a
   *     duration (use 500ms, 10s, 5m, 1h)}
   */
  public T parse(@Nullable Object raw) {
    return parse(type, raw);
  }

  /**
   * A value of {@code type} written in {@code raw}, read as {@link #parse} reads a setting's: the
   * one reader of values for every text source (files, flags), also for the values outside the
   * registry (a recovery rule's grace, a reason's name).
   */
  public static <V> V parse(Class<V> type, @Nullable Object raw) {
    return type.cast(parseAs(type, raw));
  }

  private static Object parseAs(Class<?> type, @Nullable Object raw) {
    if (type == Duration.class) {
      return duration(raw);
    }
    if (type == Long.class) {
      return whole(raw);
    }
    if (type == Integer.class) {
      long n = whole(raw);
      if (n != (int) n) {
        throw new IllegalArgumentException(shown(raw) + " is too large");
      }
      return (int) n;
    }
    if (type == Double.class) {
      if (raw instanceof Number n) {
        return n.doubleValue();
      }
      if (raw instanceof String s) {
        try {
          return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw new IllegalArgumentException(shown(raw) + " is not a number");
    }
    if (type == Boolean.class) {
      String s = raw == null ? "" : raw.toString().trim().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
      throw new IllegalArgumentException(shown(raw) + " is not true or false");
    }
    if (type.isEnum()) {
      return choice(type, raw);
    }
    if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
      String s = raw.toString().trim();
      if (!s.isEmpty()) {
        return s;
      }
    }
    throw new IllegalArgumentException("needs a text value but is " + shown(raw));
  }

  private static long whole(@Nullable Object raw) {
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(shown(raw) + " is not a whole number");
  }

  private static Duration duration(@Nullable Object raw) {
    if (raw instanceof Integer || raw instanceof Long) {
      return Duration.ofMillis(((Number) raw).longValue()); // Spring's unit for a bare number
    }
    if (raw instanceof String s) {
      String v = s.trim();
      Matcher m = DURATION.matcher(v);
      try {
        if (m.matches()) {
          long n = Long.parseLong(m.group(1));
          return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
        }
        if (v.matches("\\d+")) {
          return Duration.ofMillis(Long.parseLong(v));
        }
        return Duration.parse(v);
      } catch (DateTimeParseException | ArithmeticException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(shown(raw) + " is not a duration (use 500ms, 10s, 5m, 1h)");
  }

  private static Object choice(Class<?> type, @Nullable Object raw) {
    String s = raw == null ? "" : raw.toString().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      String constantName = ((Enum<?>) constant).name();
      if (constantName.equals(s)) {
        return constant;
      }
      names.add(constantName.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw new IllegalArgumentException(shown(raw) + " is not one of " + String.join(", ", names));
  }

  /** A value as a message shows it: quoted, control characters escaped, at most 64 chars. */
  static String shown(@Nullable Object value) {
    if (value == null) {
      return "empty";
    }
    if (value instanceof java.util.Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    String s = SafeText.escape(value);
    return "'" + (s.length() > 64 ? s.substring(0, 61) + "..." : s) + "'";
  }

  /** A value as a user writes it: {@code 30s}, {@code on-demand}, {@code 3.0}. */
  static String format(Object value) {
    if (value instanceof Duration d) {
      if (d.isZero()) {
        return "0s";
      }
      if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
        return d.toHours() + "h";
      }
      if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
        return d.toMinutes() + "m";
      }
      if (d.toSeconds() > 0 && d.equals(Duration.ofSeconds(d.toSeconds()))) {
        return d.toSeconds() + "s";
      }
      return d.toMillis() + "ms";
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    return String.valueOf(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
