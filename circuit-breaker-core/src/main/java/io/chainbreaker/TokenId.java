package io.chainbreaker;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Names one token: its symbol on one network, written {@code SYMBOL@network} (e.g. {@code
 * USDT@tron}) in logs, the audit trail, Resilience4j breaker names and operators' URLs.
 *
 * <p>Immutable and validated by {@link Limits}: the symbol is 1 to {@link Limits#SYMBOL} letters,
 * digits, {@code .}, {@code _} or {@code -}; the network 1 to {@link Limits#NETWORK} of them, the
 * first a letter or a digit. Neither can hold {@code @}, so {@link #parse} reads back exactly what
 * {@link #toString} wrote. Ordered by symbol, then network.
 */
public final class TokenId implements Comparable<TokenId> {

  /** How much of a text that is not a token id an error message quotes. */
  private static final int QUOTED = 80;

  private final String symbol;
  private final String network;

  private TokenId(String symbol, String network) {
    this.symbol = symbol;
    this.network = network;
  }

  /**
   * The token {@code symbol} on {@code network}.
   *
   * @throws IllegalArgumentException if either breaks {@link Limits}, naming which and why
   */
  public static TokenId of(String symbol, String network) {
    Limits.checkSymbol(symbol);
    Limits.checkNetwork("network of token " + symbol, network);
    return new TokenId(symbol, network);
  }

  /** The id of a symbol and network already checked (a {@link TokenConfig}'s). */
  static TokenId trusted(String symbol, String network) {
    return new TokenId(symbol, network);
  }

  /**
   * Reads {@code SYMBOL@network}, as {@link #toString} writes it: the one place that splits it.
   *
   * @throws IllegalArgumentException if {@code text} is not one symbol, one {@code @} and one
   *     network name; the message quotes the text (at most 80 characters, control characters
   *     escaped)
   */
  public static TokenId parse(String text) {
    if (text == null) { // callers outside NullAway's reach (a URL path, a database row)
      throw new IllegalArgumentException("token id must be given as SYMBOL@network");
    }
    int at = text.indexOf('@');
    if (at <= 0 || at == text.length() - 1 || text.indexOf('@', at + 1) >= 0) {
      throw new IllegalArgumentException(
          "token id must be SYMBOL@network (e.g. USDT@tron) but was " + quote(text));
    }
    String symbol = text.substring(0, at);
    String network = text.substring(at + 1);
    try {
      return of(symbol, network);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "token id " + quote(text) + " is not valid: " + e.getMessage(), e);
    }
  }

  private static String quote(String text) {
    String shown =
        text.length() <= QUOTED
            ? text
            : text.substring(0, QUOTED) + "... (" + text.length() + " characters)";
    return "'" + SafeText.escape(shown) + "'";
  }

  /** The token's symbol, e.g. {@code USDT}. */
  public String symbol() {
    return symbol;
  }

  /** The name of the token's network, e.g. {@code tron}. */
  public String network() {
    return network;
  }

  /** Whether this is {@code symbol} on {@code network}; allocates nothing. */
  public boolean is(String symbol, String network) {
    return this.symbol.equals(symbol) && this.network.equals(network);
  }

  @Override
  public int compareTo(TokenId other) {
    int c = symbol.compareTo(other.symbol);
    return c != 0 ? c : network.compareTo(other.network);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenId t && symbol.equals(t.symbol) && network.equals(t.network);
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbol, network);
  }

  /** {@code SYMBOL@network}, e.g. {@code USDT@tron}; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return format(symbol, network);
  }

  /**
   * {@code SYMBOL@network} for a symbol and network that need not be checked (a row read back from
   * a store, a record a user built): the same text {@link #toString} writes, and the one place it
   * is written. Escape it before logging text that came from outside.
   */
  public static String format(String symbol, String network) {
    return symbol + '@' + network;
  }
}
