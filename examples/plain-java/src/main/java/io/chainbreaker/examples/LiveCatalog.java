package io.chainbreaker.examples;

import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.store.JdbcCatalog;
import io.chainbreaker.store.JdbcStateStore;
import javax.sql.DataSource;

/** The live catalog as docs/catalog.md shows it, kept here so that it compiles. */
public final class LiveCatalog {

  private LiveCatalog() {}

  /** Lists USDT on Tron and delists PXL on Klaytn in a running engine, as one change. */
  public static void changeInCode(ChainBreaker breaker) {
    // spotless:off -- laid out for docs/catalog.md, which quotes it word for word
    // catalog-change:begin
    breaker.change(CatalogChange.by("listing-bot")
        .putToken(TokenConfig.of("USDT", "tron"))
        .removeToken("PXL", "klaytn")
        .build());
    breaker.allowsWithdrawal("USDT", "tron");   // a token added to a healthy network: allowed at once
    // catalog-change:end
    // spotless:on
  }

  /** An engine whose catalog is also a table every instance shares. */
  public static ChainBreaker fromTable(DataSource dataSource, JdbcStateStore store) {
    // spotless:off -- laid out for docs/catalog.md, which quotes it word for word
    // jdbc-catalog:begin
    JdbcCatalog catalog = JdbcCatalog.builder(dataSource).createSchema(true).build();
    ChainBreaker breaker = ChainBreaker.builder() /* networks, tokens */
        .stateStore(store).catalogSource(catalog).build();
    catalog.put(TokenConfig.of("USDT", "tron"), "alice");   // synchronous; throws naming the token if refused
    catalog.remove("USDT", "tron", "alice");
    // jdbc-catalog:end
    // spotless:on
    return breaker;
  }
}
