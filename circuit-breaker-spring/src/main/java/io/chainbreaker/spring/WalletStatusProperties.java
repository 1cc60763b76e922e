package io.chainbreaker.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds {@code chain-breaker.wallet-status}: the public wallet-status document (per asset and
 * network: may users deposit, withdraw).
 */
public class WalletStatusProperties {

  /**
   * Whether to serve the wallet status to anyone, signed in or not. It shows states and reason
   * codes only: never operators' names, their free text or RPC URLs.
   */
  private boolean enabled = true;

  /** Path the wallet status is served at. */
  private String path = "/chain-breaker/wallet-status";

  /**
   * Longest time a cached document is served. Every token transition replaces it at once; this
   * bound only covers a transition whose notification was lost.
   */
  private Duration maxAge = Duration.ofSeconds(10);

  /**
   * Asset code of each token symbol that differs from it, e.g. USDT-TRON: USDT, so that one asset
   * listed on several networks is one entry with several networks.
   */
  private Map<String, String> assetCodes = new LinkedHashMap<>();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public Duration getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(Duration maxAge) {
    this.maxAge = maxAge;
  }

  public Map<String, String> getAssetCodes() {
    return assetCodes;
  }

  public void setAssetCodes(Map<String, String> assetCodes) {
    this.assetCodes = assetCodes;
  }
}
