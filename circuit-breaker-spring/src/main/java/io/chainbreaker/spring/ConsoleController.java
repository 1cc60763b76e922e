package io.chainbreaker.spring;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.UnknownTokenException;
import io.chainbreaker.store.AuditRecord;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.store.StateStoreException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The operator console at {@code chain-breaker.console.path} (default {@code /chain-breaker}): a
 * static page whose script reads the JSON API below it and writes every value as text (never as
 * markup), so operators' reasons and nodes' errors cannot inject anything.
 *
 * <ul>
 *   <li>{@code GET {path}}: the page (no data in it);
 *   <li>{@code GET {path}/api/session}: who is signed in, whether they may override, the CSRF
 *       header and token when Spring Security provides one;
 *   <li>{@code GET {path}/api/status}: networks (health, reason, since, head, head age, endpoints
 *       with masked URLs, state, requests per minute) and tokens per direction with overrides;
 *   <li>{@code GET {path}/api/tokens/{token}/audit}: the token's audit trail, last 7 days;
 *   <li>{@code POST {path}/api/tokens/{token}/{deposit|withdrawal}} with JSON {@code {"action":
 *       "suspend|allow|clear", "reason": "...", "ttl": "2h"}}: an override by the signed-in user.
 * </ul>
 *
 * <p>Reads need the viewer or operator role, writes the operator role, checked here whatever the
 * application's security says; without a signed-in user every data request answers 401. Writes take
 * JSON only, so a cross-site form cannot post one; with Spring Security's CSRF protection on the
 * console path, they also need its token.
 */
@RestController
@RequestMapping("${chain-breaker.console.path:/chain-breaker}")
public class ConsoleController {

  private static final int AUDIT_LIMIT = 200;

  private final ChainBreaker breaker;
  private final StateStore store;
  private final String path;
  private final String viewerRole;
  private final String operatorRole;
  private final Duration refreshInterval;
  private final Clock clock;
  private volatile @Nullable IncidentNotifier notifier;

  /** Shows the notifier's open incidents and pending messages too. */
  public void showIncidents(IncidentNotifier notifier) {
    this.notifier = notifier;
  }

  /** A console over {@code breaker} and {@code store}, served at {@code path}. */
  public ConsoleController(
      ChainBreaker breaker,
      StateStore store,
      String path,
      String viewerRole,
      String operatorRole,
      Duration refreshInterval,
      Clock clock) {
    this.breaker = breaker;
    this.store = store;
    this.path = path;
    this.viewerRole = viewerRole;
    this.operatorRole = operatorRole;
    this.refreshInterval = refreshInterval;
    this.clock = clock;
  }

  /** The page; its data comes from the API. */
  @GetMapping(
      value = {"", "/"},
      produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> page() throws IOException {
    String html =
        resource("console.html")
            .replace("{{base}}", HtmlUtils.htmlEscape(path))
            .replace("{{refreshMillis}}", Long.toString(refreshInterval.toMillis()));
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; "
                + "style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'")
        .header("X-Content-Type-Options", "nosniff")
        .body(html);
  }

  /** The page's script. */
  @GetMapping(value = "/console.js", produces = "text/javascript")
  public ResponseEntity<String> script() throws IOException {
    return ResponseEntity.ok()
        .header("X-Content-Type-Options", "nosniff")
        .body(resource("console.js"));
  }

  /** The page's style sheet. */
  @GetMapping(value = "/console.css", produces = "text/css")
  public ResponseEntity<String> style() throws IOException {
    return ResponseEntity.ok()
        .header("X-Content-Type-Options", "nosniff")
        .body(resource("console.css"));
  }

  /** The signed-in user, whether they may override, and the CSRF header and token if any. */
  @GetMapping(value = "/api/session", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> session(HttpServletRequest request) {
    ResponseEntity<Object> refused = refuseReader(request);
    if (refused != null) {
      return refused;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", request.getUserPrincipal().getName());
    body.put("operator", request.isUserInRole(operatorRole));
    body.put("csrf", csrf(request));
    body.put("refreshMillis", refreshInterval.toMillis());
    return noStore(body);
  }

  /** Every network and token, for the page. */
  @GetMapping(value = "/api/status", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> status(HttpServletRequest request) {
    ResponseEntity<Object> refused = refuseReader(request);
    if (refused != null) {
      return refused;
    }
    StatusSnapshot s = breaker.snapshot();
    Instant now = clock.instant();
    List<Map<String, Object>> networks = s.networks().stream().map(n -> network(n, now)).toList();
    List<Map<String, Object>> tokens = s.tokens().stream().map(ConsoleController::token).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("takenAt", s.takenAt().toString());
    body.put("fleet", fleet(s.fleet()));
    body.put("networks", networks);
    body.put("tokens", tokens);
    body.put("providers", s.providers().stream().map(ConsoleController::provider).toList());
    IncidentNotifier n = notifier;
    if (n != null) {
      List<Map<String, Object>> incidents = new ArrayList<>();
      for (IncidentNotifier.OpenIncident i : n.openIncidents()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", i.network());
        m.put("openedAt", i.openedAt().toString());
        m.put("health", i.health().name());
        m.put("resolvesAt", i.resolvesAt() == null ? null : i.resolvesAt().toString());
        incidents.add(m);
      }
      body.put("incidents", incidents);
      body.put("pendingNotifications", n.pending().size());
    }
    return noStore(body);
  }

  /** This instance's place in its fleet, for the page's header. */
  private static Map<String, Object> fleet(FleetStatus f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", f.role().name());
    m.put("fleet", f.fleet());
    m.put("instance", f.instance());
    m.put("leader", f.leader());
    m.put("epoch", f.epoch());
    m.put("problem", f.problem());
    long oldest = 0;
    for (Duration d : f.verdictAges().values()) {
      oldest = Math.max(oldest, d.toMillis());
    }
    m.put("oldestVerdictMillis", f.role() == FleetStatus.Role.SOLO ? null : oldest);
    m.put("staleAfterMillis", f.staleAfter() == null ? null : f.staleAfter().toMillis());
    return m;
  }

  /** The audit trail of one token over the last 7 days, oldest first. */
  @GetMapping(value = "/api/tokens/{token}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> audit(@PathVariable String token, HttpServletRequest request) {
    ResponseEntity<Object> refused = refuseReader(request);
    if (refused != null) {
      return refused;
    }
    try {
      breaker.token(token);
      Instant now = clock.instant();
      List<AuditRecord> records =
          store.audit(token, now.minus(Duration.ofDays(7)), now.plusSeconds(1), AUDIT_LIMIT);
      return noStore(
          records.stream()
              .map(
                  r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("at", r.transition().at().toString());
                    m.put("direction", r.transition().direction().name());
                    m.put("from", r.transition().from().name());
                    m.put("to", r.transition().to().name());
                    m.put("reason", r.transition().reason().name());
                    m.put("detail", r.transition().detail());
                    m.put("actor", r.transition().actor());
                    m.put("head", r.transition().head());
                    m.put("instance", r.instance());
                    return m;
                  })
              .toList());
    } catch (UnknownTokenException e) {
      return error(HttpStatus.NOT_FOUND, String.valueOf(e.getMessage()));
    } catch (StateStoreException e) {
      return error(HttpStatus.SERVICE_UNAVAILABLE, String.valueOf(e.getMessage()));
    }
  }

  /** An override request. */
  public record OverrideRequest(
      @Nullable String action, @Nullable String note, @Nullable String ttl) {}

  /** Forces or clears an override as the signed-in operator. */
  @PostMapping(
      value = "/api/tokens/{token}/{direction}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> override(
      @PathVariable String token,
      @PathVariable String direction,
      @RequestBody OverrideRequest body,
      HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    if (principal == null) {
      return error(HttpStatus.UNAUTHORIZED, "sign in first");
    }
    if (!request.isUserInRole(operatorRole)) {
      return error(HttpStatus.FORBIDDEN, "overrides need the role " + operatorRole);
    }
    Direction d;
    try {
      d = Direction.valueOf(direction.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return error(
          HttpStatus.BAD_REQUEST,
          "direction must be deposit or withdrawal but was '" + direction + "'");
    }
    String action = body.action() == null ? "" : body.action().toLowerCase(Locale.ROOT);
    try {
      // SYMBOL@network names one token of an asset listed on several networks.
      TokenId id = token.indexOf('@') < 0 ? null : TokenId.parse(token);
      Duration ttl =
          body.ttl() == null || body.ttl().isBlank()
              ? null
              : DurationStyle.detectAndParse(body.ttl().trim());
      String actor = principal.getName();
      switch (action) {
        case "suspend" ->
            force(token, id, d, BreakerState.SUSPENDED, actor, required(body.note()), ttl);
        case "allow" ->
            force(token, id, d, BreakerState.ALLOWED, actor, required(body.note()), ttl);
        case "clear" -> {
          if (id == null) {
            breaker.clearOverride(token, d, actor);
          } else {
            breaker.clearOverride(id, d, actor);
          }
        }
        default -> {
          return error(
              HttpStatus.BAD_REQUEST,
              "action must be suspend, allow or clear but was '" + body.action() + "'");
        }
      }
      return noStore(token((id == null ? breaker.token(token) : breaker.token(id)).status()));
    } catch (UnknownTokenException e) {
      return error(HttpStatus.NOT_FOUND, String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      return error(HttpStatus.BAD_REQUEST, String.valueOf(e.getMessage()));
    }
  }

  /** Forces {@code symbol} (listed on one network) or, when given, {@code id}. */
  private void force(
      String symbol,
      @Nullable TokenId id,
      Direction d,
      BreakerState state,
      String actor,
      String note,
      @Nullable Duration ttl) {
    if (state == BreakerState.SUSPENDED) {
      if (id == null) {
        breaker.forceSuspend(symbol, d, actor, note, ttl);
      } else {
        breaker.forceSuspend(id, d, actor, note, ttl);
      }
    } else if (id == null) {
      breaker.forceAllow(symbol, d, actor, note, ttl);
    } else {
      breaker.forceAllow(id, d, actor, note, ttl);
    }
  }

  private @Nullable ResponseEntity<Object> refuseReader(HttpServletRequest request) {
    if (request.getUserPrincipal() == null) {
      return error(HttpStatus.UNAUTHORIZED, "sign in first");
    }
    if (!request.isUserInRole(viewerRole) && !request.isUserInRole(operatorRole)) {
      return error(
          HttpStatus.FORBIDDEN, "the console needs the role " + viewerRole + " or " + operatorRole);
    }
    return null;
  }

  /** Spring Security's CSRF token, read without depending on Spring Security. */
  private static @Nullable Map<String, Object> csrf(HttpServletRequest request) {
    Object token = request.getAttribute("_csrf");
    if (token == null) {
      return null;
    }
    BeanWrapperImpl t = new BeanWrapperImpl(token);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("headerName", t.getPropertyValue("headerName"));
    m.put("token", t.getPropertyValue("token"));
    return m;
  }

  private static String required(@Nullable String note) {
    if (note == null || note.isBlank()) {
      throw new IllegalArgumentException("an override needs a note");
    }
    return note;
  }

  private static Map<String, Object> network(NetworkStatus n, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", n.name());
    m.put("chainId", n.chainId());
    m.put("health", n.health().name());
    m.put("reason", n.reason().name());
    m.put("detail", n.detail());
    m.put("since", n.since().toString());
    m.put("head", n.head() == null ? null : n.head().number());
    m.put(
        "headAgeSeconds",
        n.headAdvancedAt() == null
            ? null
            : Duration.between(n.headAdvancedAt(), now).toMillis() / 1000.0);
    m.put("requestsPerMinute", n.requestsPerMinute());
    m.put("endpoints", n.endpoints().stream().map(ConsoleController::endpoint).toList());
    return m;
  }

  private static Map<String, Object> endpoint(EndpointStatus e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", e.url()); // masked by the engine
    m.put("state", e.state().name());
    m.put("head", e.head());
    m.put("lastError", e.lastError());
    m.put("requestsPerMinute", e.requestsPerMinute());
    m.put("provider", e.provider());
    m.put("costUnit", e.costUnit());
    m.put("costPerDay", e.costPerDay());
    return m;
  }

  private static Map<String, Object> provider(io.chainbreaker.ProviderCost p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", p.provider());
    m.put("unit", p.unit());
    m.put("endpoints", p.endpoints());
    m.put("costPerDay", p.costPerDay());
    m.put("budgetPerDay", p.budgetPerDay());
    m.put("overBudget", p.overBudget());
    return m;
  }

  private static Map<String, Object> token(TokenStatus t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("symbol", t.symbol());
    m.put("network", t.network());
    m.put("contract", t.contract());
    m.put("deposit", direction(t.deposit()));
    m.put("withdrawal", direction(t.withdrawal()));
    return m;
  }

  private static Map<String, Object> direction(DirectionStatus d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", d.state().name());
    m.put("reason", d.reason().name());
    m.put("detail", d.detail());
    m.put("since", d.since().toString());
    m.put("head", d.head());
    BreakerOverride o = d.override();
    if (o == null) {
      m.put("override", null);
    } else {
      Map<String, Object> om = new LinkedHashMap<>();
      om.put("state", o.state().name());
      om.put("actor", o.actor());
      om.put("note", o.note());
      om.put("createdAt", o.createdAt().toString());
      om.put("expiresAt", o.expiresAt() == null ? null : o.expiresAt().toString());
      m.put("override", om);
    }
    return m;
  }

  private static ResponseEntity<Object> noStore(Object body) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
  }

  private static ResponseEntity<Object> error(HttpStatus status, String message) {
    return ResponseEntity.status(status)
        .cacheControl(CacheControl.noStore())
        .body(Map.of("status", status.value(), "error", message));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        ConsoleController.class.getResourceAsStream("/META-INF/chain-breaker/console/" + name)) {
      if (in == null) {
        throw new IOException("missing console resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
