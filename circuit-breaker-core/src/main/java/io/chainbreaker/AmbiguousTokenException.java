package io.chainbreaker;

import java.util.List;

/**
 * A symbol was asked about without its network, and it is listed on several networks: never
 * answered for one of them at random. Ask with the network, e.g. {@code allowsWithdrawal("USDT",
 * "tron")}.
 */
public class AmbiguousTokenException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An exception naming the symbol and the networks it is listed on. */
  public AmbiguousTokenException(String symbol, List<String> networks) {
    super(
        "token '"
            + symbol
            + "' is listed on "
            + networks.size()
            + " networks "
            + networks
            + "; name the network, e.g. allowsWithdrawal(\""
            + symbol
            + "\", \""
            + networks.get(0)
            + "\")");
  }
}
