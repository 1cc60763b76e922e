package io.chainbreaker;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A token the exchange lists, on one network.
 *
 * @param symbol the symbol the exchange uses for it, e.g. {@code PXL}; looked up exactly as given;
 *     at most {@link Limits#SYMBOL} characters
 * @param network the name of its network
 * @param contract its contract address, or null for the network's native coin
 * @param depositRecovery its own recovery rule for deposits, or null for the network's
 * @param withdrawalRecovery its own recovery rule for withdrawals, or null for the network's
 */
public record TokenConfig(
    String symbol,
    String network,
    @Nullable String contract,
    @Nullable RecoveryRule depositRecovery,
    @Nullable RecoveryRule withdrawalRecovery) {

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  /**
   * Validates the symbol and the network name (each at most {@link Limits#SYMBOL} and {@link
   * Limits#NETWORK} letters, digits, {@code .}, {@code _} or {@code -}) and the contract address.
   */
  public TokenConfig {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(network, "network");
    Limits.checkSymbol(symbol);
    Limits.checkNetwork("network of token " + symbol, network);
    if (contract != null && !ADDRESS.matcher(contract).matches()) {
      throw new IllegalArgumentException(
          "contract of token "
              + symbol
              + " must be 0x and 40 hex digits but was '"
              + contract
              + "'");
    }
  }

  /** A token with a contract address (or null) and the network's recovery rules. */
  public TokenConfig(String symbol, String network, @Nullable String contract) {
    this(symbol, network, contract, null, null);
  }

  /** A token with no contract address. */
  public static TokenConfig of(String symbol, String network) {
    return new TokenConfig(symbol, network, null);
  }

  /** The token, as one value: {@code SYMBOL@network}. */
  public TokenId tokenId() {
    return TokenId.trusted(symbol, network);
  }

  /** A token with no contract address. */
  public static TokenConfig of(TokenId token) {
    return new TokenConfig(token.symbol(), token.network(), null);
  }

  /** This token with a contract address. */
  public TokenConfig withContract(String contract) {
    return new TokenConfig(symbol, network, contract, depositRecovery, withdrawalRecovery);
  }

  /** This token with its own recovery rule for {@code direction}, instead of its network's. */
  public TokenConfig withRecovery(Direction direction, RecoveryRule rule) {
    return direction == Direction.DEPOSIT
        ? new TokenConfig(symbol, network, contract, rule, withdrawalRecovery)
        : new TokenConfig(symbol, network, contract, depositRecovery, rule);
  }

  /** Its own recovery rule for {@code direction}, or null to use its network's. */
  public @Nullable RecoveryRule recovery(Direction direction) {
    return direction == Direction.DEPOSIT ? depositRecovery : withdrawalRecovery;
  }
}
