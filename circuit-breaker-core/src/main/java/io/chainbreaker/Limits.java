package io.chainbreaker;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one limit of every name and free text the engine accepts, in characters: the API's types
 * ({@link TokenConfig}, {@link NetworkConfig}, {@link BreakerOverride}, {@link CatalogChange}), the
 * catalogs ({@link io.chainbreaker.store.JdbcCatalog}, a catalog file) and the JDBC schema all read
 * them here. A value over its limit is refused where it enters, with an {@link
 * IllegalArgumentException} naming the field and the limit; every column of the schema that holds
 * such a value is at least that wide, so the database never refuses what the API accepted.
 */
public final class Limits {

  /** A token's symbol: letters, digits, {@code .}, {@code _} or {@code -}. */
  public static final int SYMBOL = 64;

  /** A network's name: letters, digits, {@code .}, {@code _} or {@code -}, the first not a sign. */
  public static final int NETWORK = 64;

  /** Who forced, cleared or changed something: an override's or a catalog change's actor. */
  public static final int ACTOR = 100;

  /** An override's note, in the operator's words. */
  public static final int NOTE = 500;

  /** A token's contract address, as the catalog table stores it. */
  public static final int CONTRACT = 64;

  /**
   * A row's detail in the audit trail: an override's detail ({@code forced by <actor>: <note>
   * (until ...)}) always fits; a longer catalog change's description is cut, saying so.
   */
  public static final int DETAIL = 1000;

  /** The id of an engine instance in the audit trail. */
  public static final int INSTANCE_ID = 200;

  private static final Pattern SYMBOL_CHARS = Pattern.compile("[A-Za-z0-9._-]+");

  /** A network's name starts with a letter or a digit (it becomes part of metric and URL paths). */
  private static final Pattern NETWORK_CHARS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private Limits() {}

  /**
   * Checks a name: at most {@code max} characters, all of {@code chars}; the message names both.
   */
  private static String checkName(String field, @Nullable String value, int max, Pattern chars) {
    if (value == null) { // callers outside NullAway's reach (Spring binding, YAML) may pass null
      throw new IllegalArgumentException(field + " must be given");
    }
    if (value.length() > max) {
      // Never echoed whole: a hostile value may be megabytes long.
      throw new IllegalArgumentException(
          field + " must be at most " + max + " characters but had " + value.length());
    }
    if (!chars.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be 1 to "
              + max
              + " letters, digits, '.', '_' or '-'"
              + (chars == NETWORK_CHARS ? " (the first a letter or digit)" : "")
              + " but was '"
              + SafeText.escape(value)
              + "'");
    }
    return value;
  }

  /**
   * Checks a token's symbol: 1 to {@link #SYMBOL} letters, digits, {@code .}, {@code _} or {@code
   * -}.
   *
   * @throws IllegalArgumentException naming the field and the limit
   */
  public static String checkSymbol(String symbol) {
    return checkName("token symbol", symbol, SYMBOL, SYMBOL_CHARS);
  }

  /**
   * Checks a network's name: 1 to {@link #NETWORK} letters, digits, {@code .}, {@code _} or {@code
   * -}, the first a letter or a digit.
   *
   * @param field what the name is, e.g. {@code network name} or {@code network of token PXL}
   * @throws IllegalArgumentException naming the field and the limit
   */
  public static String checkNetwork(String field, String network) {
    return checkName(field, network, NETWORK, NETWORK_CHARS);
  }
}
