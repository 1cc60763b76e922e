package io.chainbreaker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.BreakerState;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.Limits;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenTransition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One limit per name and text: the API refuses past it, and every column holds it. */
class StoreLimitsTest {

  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("PostgreSQL"), Arguments.of("H2"));
  }

  /** Each column and the limit of what it holds. */
  private static final Map<String, Integer> COLUMNS =
      Map.ofEntries(
          Map.entry("chain_breaker_override.symbol", Limits.SYMBOL),
          Map.entry("chain_breaker_override.network", Limits.NETWORK),
          Map.entry("chain_breaker_override.actor", Limits.ACTOR),
          Map.entry("chain_breaker_override.note", Limits.NOTE),
          Map.entry("chain_breaker_audit.symbol", Limits.SYMBOL),
          Map.entry("chain_breaker_audit.network", Limits.NETWORK),
          Map.entry("chain_breaker_audit.actor", Limits.ACTOR),
          Map.entry("chain_breaker_audit.detail", Limits.DETAIL),
          Map.entry("chain_breaker_audit.instance_id", Limits.INSTANCE_ID),
          Map.entry("chain_breaker_catalog.symbol", Limits.SYMBOL),
          Map.entry("chain_breaker_catalog.network", Limits.NETWORK),
          Map.entry("chain_breaker_catalog.contract", Limits.CONTRACT),
          Map.entry("chain_breaker_catalog.listed_by", Limits.ACTOR));

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyColumnHoldsTheLimitOfWhatItKeepsAfterUpgradingFromVersionTwo(String kind)
      throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    try (Connection c = ds.getConnection()) {
      // A database made by an earlier release: V1 and V2 only, symbols of 32 then.
      SchemaScripts.run(c, SchemaScripts.V1, SchemaScripts.V2);
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO chain_breaker_catalog (symbol, network, listed_by, listed_at)"
                + " VALUES ('PXL', 'klaytn', 'alice', CURRENT_TIMESTAMP)");
      }
    }
    JdbcStateStore store = JdbcStateStore.builder(ds).createSchema(true).build();
    try (Connection c = ds.getConnection()) {
      for (Map.Entry<String, Integer> column : COLUMNS.entrySet()) {
        String[] tableColumn = column.getKey().split("\\.");
        assertThat(width(c, tableColumn[0], tableColumn[1]))
            .as(column.getKey())
            .isGreaterThanOrEqualTo(column.getValue());
      }
    }
    assertThat(JdbcCatalog.builder(ds).build().tokens())
        .containsExactly(TokenConfig.of("PXL", "klaytn"));

    // The longest of everything goes in and comes back whole.
    String symbol = "S".repeat(Limits.SYMBOL);
    String network = "n".repeat(Limits.NETWORK);
    Instant t0 = Instant.parse("2020-03-29T14:32:40Z");
    BreakerOverride o =
        new BreakerOverride(
            symbol,
            network,
            Direction.WITHDRAWAL,
            BreakerState.SUSPENDED,
            "a".repeat(Limits.ACTOR),
            "z".repeat(Limits.NOTE),
            t0,
            null);
    BreakerOverride.validate(o.actor(), o.note(), null);
    store.putOverride(o);
    TokenTransition t =
        new TokenTransition(
            symbol,
            network,
            Direction.WITHDRAWAL,
            BreakerState.ALLOWED,
            BreakerState.SUSPENDED,
            Reason.OPERATOR,
            "forced by " + o.actor() + ": " + o.note(),
            t0,
            1L,
            o.actor());
    store.append(t);
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(store.overrides()).containsExactly(o);
    assertThat(store.lastTransitions()).containsExactly(t);
    store.close();
  }

  @Test
  void aNameOrTextOverItsLimitIsRefusedNamingTheFieldAndTheLimit() {
    assertThatThrownBy(() -> TokenConfig.of("S".repeat(65), "klaytn"))
        .hasMessage("token symbol must be at most 64 characters but had 65");
    assertThatThrownBy(() -> TokenConfig.of("PXL", "n".repeat(65)))
        .hasMessage("network of token PXL must be at most 64 characters but had 65");
    assertThatThrownBy(() -> NetworkConfig.builder("n".repeat(65)))
        .hasMessage("network name must be at most 64 characters but had 65");
    assertThatThrownBy(() -> CatalogChange.by("a".repeat(101)))
        .hasMessage("override actor must be at most 100 characters but had 101");
    assertThatThrownBy(() -> CatalogChange.by("bot").removeNetwork("-x"))
        .hasMessageStartingWith("removed network name must be 1 to 64 letters");
    assertThatThrownBy(() -> BreakerOverride.validate("alice", "z".repeat(501), null))
        .hasMessage("override note must be at most 500 characters but had 501");
    assertThatThrownBy(
            () ->
                JdbcStateStore.builder(new org.h2.jdbcx.JdbcDataSource())
                    .instanceId("i".repeat(201)))
        .hasMessage("instanceId must be 1 to 200 characters but had 201");
  }

  private static int width(Connection c, String table, String column) throws Exception {
    try (ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
      if (rs.next()) {
        return rs.getInt("COLUMN_SIZE");
      }
    }
    // H2 keeps unquoted names in upper case.
    try (ResultSet rs =
        c.getMetaData().getColumns(null, null, table.toUpperCase(), column.toUpperCase())) {
      assertThat(rs.next()).as(table + "." + column + " exists").isTrue();
      return rs.getInt("COLUMN_SIZE");
    }
  }
}
