package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.UnknownTokenException;
import java.security.Principal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.lang.Nullable;

/**
 * The {@code chainbreakers} actuator endpoint.
 *
 * <ul>
 *   <li>{@code GET /actuator/chainbreakers}: every network (endpoints masked) and token;
 *   <li>{@code GET /actuator/chainbreakers/{token}}: one token;
 *   <li>{@code POST /actuator/chainbreakers/{token}/{deposit|withdrawal}} with a JSON body
 *       {@code {"action": "suspend|allow|clear", "reason": "...", "ttl": "2h"}}: forces or clears an
 *       override. The actor is the authenticated principal, who must have the operator role
 *       ({@code chain-breaker.management.operator-role}); anyone else gets 403.
 * </ul>
 */
@WebEndpoint(id = "chainbreakers")
public class ChainBreakerEndpoint {

  private final ChainBreaker breaker;
  private final String operatorRole;

  /** An endpoint over {@code breaker}, allowing writes to principals in {@code operatorRole}. */
  public ChainBreakerEndpoint(ChainBreaker breaker, String operatorRole) {
    this.breaker = breaker;
    this.operatorRole = operatorRole;
  }

  /** Every network and token. */
  @ReadOperation
  public StatusSnapshot breakers() {
    return breaker.snapshot();
  }

  /** One token, or 404. */
  @ReadOperation
  public WebEndpointResponse<Object> token(@Selector String token) {
    try {
      return new WebEndpointResponse<>(breaker.token(token).status());
    } catch (UnknownTokenException e) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, e.getMessage());
    }
  }

  /** Forces or clears an override of one token and direction. */
  @WriteOperation
  public WebEndpointResponse<Object> override(@Selector String token, @Selector String direction,
      String action, @Nullable String reason, @Nullable String ttl,
      SecurityContext securityContext) {
    Principal principal = securityContext.getPrincipal();
    if (principal == null || !securityContext.isUserInRole(operatorRole)) {
      return error(403, "overrides need an authenticated principal with role " + operatorRole);
    }
    Direction d;
    try {
      d = Direction.valueOf(direction.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST,
          "direction must be deposit or withdrawal but was '" + direction + "'");
    }
    try {
      Duration expiry = ttl == null || ttl.isBlank() ? null : DurationStyle.detectAndParse(ttl);
      String actor = principal.getName();
      switch (action.toLowerCase(Locale.ROOT)) {
        case "suspend":
          breaker.forceSuspend(token, d, actor, require(reason), expiry);
          break;
        case "allow":
          breaker.forceAllow(token, d, actor, require(reason), expiry);
          break;
        case "clear":
          breaker.clearOverride(token, d, actor);
          break;
        default:
          return error(WebEndpointResponse.STATUS_BAD_REQUEST,
              "action must be suspend, allow or clear but was '" + action + "'");
      }
      TokenStatus status = breaker.token(token).status();
      return new WebEndpointResponse<>(status);
    } catch (UnknownTokenException e) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
  }

  private static String require(@Nullable String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an override needs a reason");
    }
    return reason;
  }

  private static WebEndpointResponse<Object> error(int status, String message) {
    return new WebEndpointResponse<>(Map.of("status", status, "error", message), status);
  }
}
