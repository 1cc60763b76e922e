package io.chainbreaker.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Binds {@code chain-breaker.store}: where overrides and the audit trail are kept. */
public class StoreProperties {

  /**
   * Where overrides and the audit trail are kept: memory, or jdbc with the application's
   * DataSource.
   */
  private StoreType type = StoreType.MEMORY;

  /** Whether to create the chain_breaker_* tables if they do not exist (jdbc only). */
  private boolean createSchema = false;

  /** Id of this instance in the audit trail. Default host name and process id. */
  private @Nullable String instanceId;

  /** How long the store's writer waits before retrying after a database failure. */
  private Duration retryInterval = Duration.ofSeconds(1);

  /** How often overrides are read back from the store, to apply those made on other instances. */
  private Duration syncInterval = Duration.ofSeconds(1);

  public StoreType getType() {
    return type;
  }

  public void setType(StoreType type) {
    this.type = type;
  }

  public boolean isCreateSchema() {
    return createSchema;
  }

  public void setCreateSchema(boolean createSchema) {
    this.createSchema = createSchema;
  }

  public @Nullable String getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(@Nullable String instanceId) {
    this.instanceId = instanceId;
  }

  public Duration getRetryInterval() {
    return retryInterval;
  }

  public void setRetryInterval(Duration retryInterval) {
    this.retryInterval = retryInterval;
  }

  public Duration getSyncInterval() {
    return syncInterval;
  }

  public void setSyncInterval(Duration syncInterval) {
    this.syncInterval = syncInterval;
  }

  /** Where state is kept. */
  public enum StoreType {
    /** In this JVM only: overrides are lost on restart. */
    MEMORY,
    /** In the application's DataSource (PostgreSQL or H2), shared by every instance. */
    JDBC
  }
}
