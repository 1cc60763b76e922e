package io.chainbreaker;

/** The symbol asked about is not configured: never treated as allowed. */
public class UnknownTokenException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An exception naming the unknown {@code symbol}, with a hint if only its case differs. */
  public UnknownTokenException(String symbol, String hint) {
    super("unknown token '" + symbol + "'" + hint);
  }
}
