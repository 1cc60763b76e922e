package io.chainbreaker.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Binds {@code chain-breaker.fleet}: several replicas of the service as one watcher on PostgreSQL;
 * one leads (a lease with an epoch) and watches the chains, the others apply its verdicts and watch
 * no provider.
 */
public class FleetProperties {

  /**
   * Whether this instance is a member of a fleet. Default: on when the JDBC store is on a
   * PostgreSQL DataSource (more than one replica may run against it), off otherwise.
   */
  private @Nullable Boolean enabled;

  /** The fleet's name: the replicas of one service share it (several fleets may share a DB). */
  private String name = "chain-breaker";

  /** This instance's id in the lease. Default the store's instance id, else host and pid. */
  private @Nullable String instanceId;

  /** How long the lease lasts unless renewed; a dead leader is replaced within it + one poll. */
  private Duration leaseTtl = Duration.ofSeconds(10);

  /** How often a follower reads the leader's verdicts (it is also told at once by NOTIFY). */
  private Duration pollInterval = Duration.ofSeconds(1);

  /**
   * Verdict age past which this instance suspends a network's tokens with VIEW_STALE. Default
   * lease-ttl + 2 poll intervals.
   */
  private @Nullable Duration staleAfter;

  /** How long one call to the database may take before it counts as failed. */
  private Duration queryTimeout = Duration.ofSeconds(3);

  /** Whether to create the fleet's tables (lease, verdicts, outbox) if they do not exist. */
  private boolean createSchema = false;

  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public @Nullable String getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(@Nullable String instanceId) {
    this.instanceId = instanceId;
  }

  public Duration getLeaseTtl() {
    return leaseTtl;
  }

  public void setLeaseTtl(Duration leaseTtl) {
    this.leaseTtl = leaseTtl;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  public @Nullable Duration getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(@Nullable Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  public Duration getQueryTimeout() {
    return queryTimeout;
  }

  public void setQueryTimeout(Duration queryTimeout) {
    this.queryTimeout = queryTimeout;
  }

  public boolean isCreateSchema() {
    return createSchema;
  }

  public void setCreateSchema(boolean createSchema) {
    this.createSchema = createSchema;
  }
}
