package io.chainbreaker.spring;

import java.time.Duration;

/**
 * Binds {@code chain-breaker.console}: the operator console, a page and its JSON API for signed-in
 * users with the viewer or operator role; overrides need the operator role ({@code
 * chain-breaker.management.operator-role}).
 */
public class ConsoleProperties {

  /**
   * Whether to serve the console (off unless asked for). Its data and actions check roles
   * themselves: without a signed-in user in a role, every request is refused.
   */
  private boolean enabled = false;

  /** Path of the console page; its JSON API is under {path}/api. */
  private String path = "/chain-breaker";

  /** Role a signed-in user needs to read the console (operators may read too). */
  private String viewerRole = "CHAIN_BREAKER_VIEWER";

  /** How often the page asks for fresh status. */
  private Duration refreshInterval = Duration.ofSeconds(3);

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

  public String getViewerRole() {
    return viewerRole;
  }

  public void setViewerRole(String viewerRole) {
    this.viewerRole = viewerRole;
  }

  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  public void setRefreshInterval(Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }
}
