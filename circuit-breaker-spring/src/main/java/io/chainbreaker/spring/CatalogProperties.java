package io.chainbreaker.spring;

/**
 * Binds {@code chain-breaker.catalog}: where more tokens are listed at run time, beside
 * chain-breaker.tokens.
 */
public class CatalogProperties {

  /** The catalog table in the application's database. */
  private final JdbcCatalogSettings jdbc = new JdbcCatalogSettings();

  public JdbcCatalogSettings getJdbc() {
    return jdbc;
  }

  /** The catalog table chain_breaker_catalog, shared by every instance. */
  public static class JdbcCatalogSettings {

    /**
     * Whether tokens listed in the table chain_breaker_catalog of the application's DataSource are
     * watched too (read at start and every store.sync-interval), and whether the actuator's catalog
     * operations write there.
     */
    private boolean enabled = false;

    /** Whether to create the table if it does not exist. */
    private boolean createSchema = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isCreateSchema() {
      return createSchema;
    }

    public void setCreateSchema(boolean createSchema) {
      this.createSchema = createSchema;
    }
  }
}
