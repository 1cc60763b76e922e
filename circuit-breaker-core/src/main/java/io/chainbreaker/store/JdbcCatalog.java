package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.SafeText;
import io.chainbreaker.TokenConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens listed at run time, in the table {@code chain_breaker_catalog} of the exchange's own
 * database (PostgreSQL or H2; schema: {@value JdbcStateStore#CATALOG_SCHEMA_SCRIPT}), shared by
 * every instance: give it to each engine with {@link
 * io.chainbreaker.ChainBreaker.Builder#catalogSource}, and a token {@link #put} on one instance is
 * listed on all of them within their sync interval.
 *
 * <pre>{@code
 * JdbcCatalog catalog = JdbcCatalog.builder(dataSource).build();
 * ChainBreaker breaker = ChainBreaker.builder()...catalogSource(catalog).build();
 * catalog.put(TokenConfig.of("USDT", "tron"), "alice");   // every instance, within the interval
 * }</pre>
 *
 * <p>Unlike the state store's writes, {@link #put} and {@link #remove} are operators' actions: they
 * write at once, on the caller's thread, and throw {@link StateStoreException} naming the token if
 * the database refuses. A row carries no recovery rules: its token takes its network's.
 */
public final class JdbcCatalog implements CatalogSource {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.store");

  /**
   * One row of the table.
   *
   * @param token the token
   * @param listedBy who listed it (or last replaced it)
   * @param listedAt when
   */
  public record Entry(TokenConfig token, String listedBy, Instant listedAt) {}

  private final DataSource dataSource;
  private final Clock clock;

  private JdbcCatalog(Builder b) {
    this.dataSource = b.dataSource;
    this.clock = b.clock;
    if (b.createSchema) {
      try (Connection c = dataSource.getConnection()) {
        SchemaScripts.run(c, SchemaScripts.V2, SchemaScripts.V3);
      } catch (SQLException e) {
        throw new StateStoreException("catalog table could not be created: " + describe(e), e);
      }
    }
  }

  /** A builder over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Every token in the table, ordered by symbol and network. */
  @Override
  public List<TokenConfig> tokens() {
    List<TokenConfig> tokens = new ArrayList<>();
    list().forEach(e -> tokens.add(e.token()));
    return tokens;
  }

  /**
   * Every row, ordered by symbol and network. A row the engine could not list (a symbol or contract
   * it refuses, written by hand) is skipped with a WARN rather than hiding the others.
   *
   * @throws StateStoreException if the database cannot be read
   */
  public List<Entry> list() {
    List<Entry> result = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT symbol, network, contract, listed_by,"
                    + " listed_at FROM chain_breaker_catalog ORDER BY symbol, network");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String symbol = rs.getString(1);
        String network = rs.getString(2);
        TokenConfig token;
        try {
          token = new TokenConfig(symbol, network, rs.getString(3));
        } catch (IllegalArgumentException e) {
          log.warn(
              "catalog table row {} on {} skipped: {}",
              SafeText.escape(symbol),
              SafeText.escape(network),
              SafeText.escape(e.getMessage()));
          continue;
        }
        OffsetDateTime at = rs.getObject(5, OffsetDateTime.class);
        result.add(new Entry(token, rs.getString(4), at.toInstant()));
      }
    } catch (SQLException e) {
      throw new StateStoreException("catalog table could not be read: " + describe(e), e);
    }
    return result;
  }

  /**
   * Lists {@code token} (or replaces the row of the same symbol and network), as {@code actor}.
   *
   * @throws IllegalArgumentException if the actor breaks {@link BreakerOverride#validate}
   * @throws StateStoreException naming the token if the database refuses
   */
  public Entry put(TokenConfig token, String actor) {
    Objects.requireNonNull(token, "token");
    BreakerOverride.validate(actor, null, null);
    Instant now = clock.instant();
    inTransaction(
        "list " + name(token.symbol(), token.network()),
        c -> {
          delete(c, token.symbol(), token.network());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_catalog (symbol,"
                      + " network, contract, listed_by, listed_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, token.symbol());
            ps.setString(2, token.network());
            ps.setString(3, token.contract());
            ps.setString(4, actor);
            ps.setObject(5, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
          }
          return 1;
        });
    log.warn(
        "catalog table: {} listed by {}",
        name(token.symbol(), token.network()),
        SafeText.escape(actor));
    return new Entry(token, actor, now);
  }

  /**
   * Delists {@code symbol} on {@code network}, as {@code actor}; false if it was not in the table
   * (a token configured elsewhere, or already delisted).
   *
   * @throws IllegalArgumentException if the actor breaks {@link BreakerOverride#validate}
   * @throws StateStoreException naming the token if the database refuses
   */
  public boolean remove(String symbol, String network, String actor) {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(network, "network");
    BreakerOverride.validate(actor, null, null);
    int rows = inTransaction("delist " + name(symbol, network), c -> delete(c, symbol, network));
    if (rows > 0) {
      log.warn("catalog table: {} delisted by {}", name(symbol, network), SafeText.escape(actor));
    }
    return rows > 0;
  }

  private static int delete(Connection c, String symbol, String network) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM chain_breaker_catalog WHERE symbol = ? AND network = ?")) {
      ps.setString(1, symbol);
      ps.setString(2, network);
      return ps.executeUpdate();
    }
  }

  private interface Work {
    int run(Connection c) throws SQLException;
  }

  private int inTransaction(String what, Work work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        int result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // The connection is broken; nothing was committed.
        }
        throw e;
      } finally {
        try {
          c.setAutoCommit(auto);
        } catch (SQLException ignored) {
          // A broken connection is not reused by a healthy pool.
        }
      }
    } catch (SQLException e) {
      throw new StateStoreException("catalog table refused to " + what + ": " + describe(e), e);
    }
  }

  private static String name(String symbol, String network) {
    return SafeText.escape(symbol) + " on " + SafeText.escape(network);
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    message = SafeText.escape(message.replaceAll("[ \\t\\r\\n]+", " "));
    return message.length() <= 300 ? message : message.substring(0, 300) + "...";
  }

  /** Settings of a {@link JdbcCatalog}. */
  public static final class Builder {
    private final DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private boolean createSchema;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Whether to create the table if it does not exist; default false. */
    public Builder createSchema(boolean create) {
      this.createSchema = create;
      return this;
    }

    /** The clock of {@code listed_at}; default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The catalog; creates the table first if asked to. */
    public JdbcCatalog build() {
      return new JdbcCatalog(this);
    }
  }

  /** For tests and logs. */
  @Override
  public String toString() {
    return "JdbcCatalog[chain_breaker_catalog]";
  }
}
