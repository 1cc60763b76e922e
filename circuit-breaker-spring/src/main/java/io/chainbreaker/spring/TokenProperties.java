package io.chainbreaker.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Binds one token under {@code chain-breaker.tokens.<SYMBOL>}: its networks and contracts. */
public class TokenProperties {

  /** Name of the token's network, a key under chain-breaker.networks. */
  private @Nullable String network;

  /**
   * Names of the networks an asset is listed on, when more than one (e.g. ethereum,tron): one token
   * per network, each with its own breakers. Use instead of network.
   */
  private List<String> networks = new ArrayList<>();

  /**
   * Contract address per network, for an asset on several networks (e.g. contracts.ethereum=0x...);
   * a network not named here is the token with no contract.
   */
  private Map<String, String> contracts = new LinkedHashMap<>();

  /** Contract address (0x and 40 hex digits); unset for the network's native coin. */
  private @Nullable String contract;

  /** This token's own recovery rules, overriding its network's. */
  private final RecoveryProperties recovery = new RecoveryProperties();

  public @Nullable String getNetwork() {
    return network;
  }

  public void setNetwork(@Nullable String network) {
    this.network = network;
  }

  public @Nullable String getContract() {
    return contract;
  }

  public void setContract(@Nullable String contract) {
    this.contract = contract;
  }

  public List<String> getNetworks() {
    return networks;
  }

  public void setNetworks(List<String> networks) {
    this.networks = networks;
  }

  public Map<String, String> getContracts() {
    return contracts;
  }

  public void setContracts(Map<String, String> contracts) {
    this.contracts = contracts;
  }

  public RecoveryProperties getRecovery() {
    return recovery;
  }
}
