package io.chainbreaker.spring;

import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.store.JdbcCatalog;
import io.chainbreaker.store.StateStoreException;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code chainbreakercatalog} actuator endpoint: the live catalog.
 *
 * <ul>
 *   <li>{@code GET /actuator/chainbreakercatalog}: every network and token (symbol, network,
 *       contract; for a token in the catalog table, who listed it and when);
 *   <li>{@code POST /actuator/chainbreakercatalog/{symbol}/{network}} with an optional JSON body
 *       {@code {"contract": "0x..."}}: lists the token, or replaces its contract;
 *   <li>{@code DELETE /actuator/chainbreakercatalog/{symbol}/{network}}: delists it.
 * </ul>
 *
 * <p>Writes need an authenticated principal in the operator role (else 403); the principal is the
 * change's actor, kept in the audit trail. With the catalog table configured ({@code
 * chain-breaker.catalog.jdbc.enabled}) a write goes there first, so every instance applies it
 * within its sync interval, and is then applied here at once.
 */
@WebEndpoint(id = "chainbreakercatalog")
public class ChainBreakerCatalogEndpoint {

  private final ChainBreaker breaker;
  private final @Nullable JdbcCatalog table;
  private final Runnable changed;
  private final String operatorRole;

  /**
   * An endpoint over {@code breaker}, writing to {@code table} when there is one, calling {@code
   * changed} after each change (metrics), allowing writes to principals in {@code operatorRole}.
   */
  public ChainBreakerCatalogEndpoint(
      ChainBreaker breaker, @Nullable JdbcCatalog table, Runnable changed, String operatorRole) {
    this.breaker = breaker;
    this.table = table;
    this.changed = changed;
    this.operatorRole = operatorRole;
  }

  /** Every network and token now; a catalog table that cannot be read answers 503. */
  @ReadOperation
  public WebEndpointResponse<Object> catalog() {
    Map<TokenId, JdbcCatalog.Entry> rows = new HashMap<>();
    if (table != null) {
      try {
        table.list().forEach(e -> rows.put(e.token().tokenId(), e));
      } catch (StateStoreException e) {
        return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, e.getMessage());
      }
    }
    io.chainbreaker.Catalog catalog = breaker.catalog();
    List<String> networks = new ArrayList<>();
    catalog.networks().forEach(n -> networks.add(n.name()));
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (TokenConfig t : catalog.tokens()) {
      Map<String, Object> token = new LinkedHashMap<>();
      token.put("symbol", t.symbol());
      token.put("network", t.network());
      token.put("contract", t.contract());
      JdbcCatalog.Entry row = rows.get(t.tokenId());
      token.put("listedBy", row == null ? null : row.listedBy());
      token.put("listedAt", row == null ? null : row.listedAt());
      tokens.add(token);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("networks", networks);
    body.put("tokens", tokens);
    body.put("catalogTable", table != null);
    return new WebEndpointResponse<>(body);
  }

  /** Lists {@code symbol} on {@code network}, or replaces its contract. */
  @WriteOperation
  @SuppressWarnings("deprecation") // see ChainBreakerEndpoint's OPTIONAL
  public WebEndpointResponse<Object> list(
      @Selector String symbol,
      @Selector String network,
      @org.springframework.lang.Nullable String contract,
      SecurityContext securityContext) {
    Principal principal = securityContext.getPrincipal();
    if (principal == null || !securityContext.isUserInRole(operatorRole)) {
      return error(
          403, "catalog changes need an authenticated principal with role " + operatorRole);
    }
    String actor = principal.getName();
    TokenConfig token;
    try {
      token =
          new TokenConfig(
              symbol, network, contract == null || contract.isBlank() ? null : contract);
      CatalogChange.by(actor);
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
    NetworkConfig n = breaker.catalog().network(network);
    if (n == null) {
      return error(
          WebEndpointResponse.STATUS_BAD_REQUEST,
          "no network '" + network + "' is configured; configured networks: " + networkNames());
    }
    try {
      if (table != null) {
        table.put(token, actor);
      }
      breaker.change(CatalogChange.by(actor).putToken(token).build());
    } catch (StateStoreException e) {
      return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
    changed.run();
    return new WebEndpointResponse<>(settled(symbol, network));
  }

  /** Delists {@code symbol} on {@code network}; 404 if it is not listed here. */
  @DeleteOperation
  public WebEndpointResponse<Object> delist(
      @Selector String symbol, @Selector String network, SecurityContext securityContext) {
    Principal principal = securityContext.getPrincipal();
    if (principal == null || !securityContext.isUserInRole(operatorRole)) {
      return error(
          403, "catalog changes need an authenticated principal with role " + operatorRole);
    }
    String actor = principal.getName();
    boolean listed =
        breaker.catalog().tokens().stream()
            .anyMatch(t -> t.symbol().equals(symbol) && t.network().equals(network));
    if (!listed) {
      return error(
          WebEndpointResponse.STATUS_NOT_FOUND,
          "token " + symbol + " on " + network + " is not listed");
    }
    boolean inTable;
    try {
      CatalogChange change = CatalogChange.by(actor).removeToken(symbol, network).build();
      inTable = table != null && table.remove(symbol, network, actor);
      breaker.change(change);
    } catch (StateStoreException e) {
      return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
    changed.run();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("symbol", symbol);
    body.put("network", network);
    body.put("delisted", true);
    // False for a token from the application's configuration: it is delisted on this instance
    // only, until the next restart.
    body.put("catalogTable", inTable);
    return new WebEndpointResponse<>(body);
  }

  /**
   * The new token's status once the engine has evaluated it: on a healthy network that is within
   * milliseconds (the monitor's next turn), so wait up to a second rather than answer STARTING.
   */
  private TokenStatus settled(String symbol, String network) {
    if (breaker.network(network).health() == NetworkHealth.HEALTHY) {
      try {
        return breaker.awaitAllowed(symbol, network, Direction.DEPOSIT).get(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Not allowed yet (e.g. an override): answer what it is.
      }
    }
    return breaker.token(symbol, network).status();
  }

  private List<String> networkNames() {
    List<String> names = new ArrayList<>();
    breaker.catalog().networks().forEach(n -> names.add(n.name()));
    return names;
  }

  private static WebEndpointResponse<Object> error(int status, @Nullable String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", String.valueOf(message));
    body.put("at", Instant.now().toString());
    return new WebEndpointResponse<>(body, status);
  }
}
