package io.chainbreaker.spring;

import io.chainbreaker.AmbiguousTokenException;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.UnknownTokenException;
import io.chainbreaker.store.AuditRecord;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.store.StateStoreException;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code chainbreakers} actuator endpoint.
 *
 * <ul>
 *   <li>{@code GET /actuator/chainbreakers}: every network (endpoints masked) and token;
 *   <li>{@code GET /actuator/chainbreakers/{token}}: one token;
 *   <li>{@code GET /actuator/chainbreakers/{symbol}/{network}}: one token of an asset on several
 *       networks (a symbol-only path answers 400 naming them);
 *   <li>{@code GET /actuator/chainbreakers/{token}/audit}: its audit trail, on every network;
 *   <li>{@code POST /actuator/chainbreakers/{token}/{deposit|withdrawal}} with a JSON body {@code
 *       {"action": "suspend|allow|clear", "reason": "...", "ttl": "2h"}}: forces or clears an
 *       override. The actor is the authenticated principal, who must have the operator role ({@code
 *       chain-breaker.management.operator-role}); anyone else gets 403. A reason or actor that
 *       {@link io.chainbreaker.BreakerOverride#validate} refuses (too long, control characters) or
 *       a ttl that is not a duration of at most 365 days answers 400;
 *   <li>{@code POST /actuator/chainbreakers/{symbol}/{network}/{deposit|withdrawal}}: the same, for
 *       the token on that network.
 * </ul>
 */
@WebEndpoint(id = "chainbreakers")
public class ChainBreakerEndpoint {

  private static final int MAX_AUDIT = 10_000;

  /*
   * OPTIONAL: an operation parameter is optional only if annotated @Nullable. Spring Boot 3.5
   * recognises only Spring's own org.springframework.lang.Nullable, which Spring Framework 7
   * (Boot 4) deprecates but still honours (Boot 4 accepts any @Nullable); so the parameters keep
   * Spring's annotation, with the deprecation warning suppressed on those two methods only.
   */

  private final ChainBreaker breaker;
  private final StateStore store;
  private final String operatorRole;

  /**
   * An endpoint over {@code breaker} and its {@code store}, allowing writes to principals in {@code
   * operatorRole}.
   */
  public ChainBreakerEndpoint(ChainBreaker breaker, StateStore store, String operatorRole) {
    this.breaker = breaker;
    this.store = store;
    this.operatorRole = operatorRole;
  }

  /**
   * {@code GET /actuator/chainbreakers/{token}/audit?from=&to=&limit=}: the audit trail of a token,
   * oldest first; {@code from} and {@code to} are ISO-8601 instants (default: the last 24 hours),
   * {@code limit} at most 10,000 (default 100).
   */
  @ReadOperation
  @SuppressWarnings("deprecation") // see OPTIONAL
  public WebEndpointResponse<Object> audit(
      @Selector String token,
      @Selector String view,
      @org.springframework.lang.Nullable String from,
      @org.springframework.lang.Nullable String to,
      @org.springframework.lang.Nullable Integer limit) {
    if (!"audit".equals(view)) {
      // GET /chainbreakers/{symbol}/{network}: one token of an asset on several networks.
      try {
        return new WebEndpointResponse<>(breaker.token(token, view).status());
      } catch (UnknownTokenException e) {
        return error(WebEndpointResponse.STATUS_NOT_FOUND, e.getMessage());
      }
    }
    try {
      if (breaker.catalog().tokens().stream().noneMatch(t -> t.symbol().equals(token))) {
        breaker.token(token); // throws the unknown-token error, naming what is listed
      }
      Instant end = to == null ? Instant.now() : Instant.parse(to);
      Instant start = from == null ? end.minus(Duration.ofDays(1)) : Instant.parse(from);
      int n = limit == null ? 100 : limit;
      if (n < 1 || n > MAX_AUDIT) {
        return error(
            WebEndpointResponse.STATUS_BAD_REQUEST,
            "limit must be 1 to " + MAX_AUDIT + " but was " + n);
      }
      List<AuditRecord> records = store.audit(token, start, end, n);
      return new WebEndpointResponse<>(records);
    } catch (UnknownTokenException e) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, String.valueOf(e.getMessage()));
    } catch (DateTimeParseException e) {
      return error(
          WebEndpointResponse.STATUS_BAD_REQUEST,
          "from and to must be ISO-8601 instants such as 2020-03-29T14:32:40Z: " + e.getMessage());
    } catch (StateStoreException e) {
      return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, String.valueOf(e.getMessage()));
    }
  }

  /** Every network and token. */
  @ReadOperation
  public StatusSnapshot breakers() {
    return breaker.snapshot();
  }

  /** One token, or 404; 400 naming the networks if the symbol is on several. */
  @ReadOperation
  public WebEndpointResponse<Object> token(@Selector String token) {
    try {
      return new WebEndpointResponse<>(breaker.token(token).status());
    } catch (UnknownTokenException e) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, String.valueOf(e.getMessage()));
    } catch (AmbiguousTokenException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Forces or clears an override of one token (symbol on network) and direction: {@code POST
   * /chainbreakers/{symbol}/{network}/{direction}}, as {@link #override} otherwise.
   */
  @WriteOperation
  @SuppressWarnings("deprecation") // see OPTIONAL
  public WebEndpointResponse<Object> overrideOnNetwork(
      @Selector String symbol,
      @Selector String network,
      @Selector String direction,
      String action,
      @org.springframework.lang.Nullable String note,
      @org.springframework.lang.Nullable String ttl,
      SecurityContext securityContext) {
    return override(symbol, network, direction, action, note, ttl, securityContext);
  }

  /** Forces or clears an override of one token and direction. */
  @WriteOperation
  @SuppressWarnings("deprecation") // see OPTIONAL
  public WebEndpointResponse<Object> override(
      @Selector String token,
      @Selector String direction,
      String action,
      @org.springframework.lang.Nullable String note,
      @org.springframework.lang.Nullable String ttl,
      SecurityContext securityContext) {
    return override(token, null, direction, action, note, ttl, securityContext);
  }

  private WebEndpointResponse<Object> override(
      String token,
      @Nullable String network,
      String direction,
      String action,
      @Nullable String note,
      @Nullable String ttl,
      SecurityContext securityContext) {
    Principal principal = securityContext.getPrincipal();
    if (principal == null || !securityContext.isUserInRole(operatorRole)) {
      return error(403, "overrides need an authenticated principal with role " + operatorRole);
    }
    Direction d;
    try {
      d = Direction.valueOf(direction.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return error(
          WebEndpointResponse.STATUS_BAD_REQUEST,
          "direction must be deposit or withdrawal but was '" + direction + "'");
    }
    try {
      Duration expiry = ttl == null || ttl.isBlank() ? null : DurationStyle.detectAndParse(ttl);
      String actor = principal.getName();
      switch (action.toLowerCase(Locale.ROOT)) {
        case "suspend":
          if (network == null) {
            breaker.forceSuspend(token, d, actor, require(note), expiry);
          } else {
            breaker.forceSuspend(token, network, d, actor, require(note), expiry);
          }
          break;
        case "allow":
          if (network == null) {
            breaker.forceAllow(token, d, actor, require(note), expiry);
          } else {
            breaker.forceAllow(token, network, d, actor, require(note), expiry);
          }
          break;
        case "clear":
          if (network == null) {
            breaker.clearOverride(token, d, actor);
          } else {
            breaker.clearOverride(token, network, d, actor);
          }
          break;
        default:
          return error(
              WebEndpointResponse.STATUS_BAD_REQUEST,
              "action must be suspend, allow or clear but was '" + action + "'");
      }
      TokenStatus status =
          network == null ? breaker.token(token).status() : breaker.token(token, network).status();
      return new WebEndpointResponse<>(status);
    } catch (UnknownTokenException e) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      // A bad ttl (9999999999999d), note or actor: the operator's input, never a 500.
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, String.valueOf(e.getMessage()));
    }
  }

  private static String require(@Nullable String note) {
    if (note == null || note.isBlank()) {
      throw new IllegalArgumentException("an override needs a note");
    }
    return note;
  }

  private static WebEndpointResponse<Object> error(int status, @Nullable String message) {
    return new WebEndpointResponse<>(
        Map.of("status", status, "error", String.valueOf(message)), status);
  }
}
