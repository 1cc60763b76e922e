package io.chainbreaker.examples.exchange;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Request matchers for actuator endpoints, wherever {@code management.endpoints.web.base-path}
 * puts them. Spring Boot 4's {@code EndpointRequest}; the other Boot line's twin of this class names
 * that line's package (Spring Boot 4 moved it into {@code spring-boot-security}).
 */
final class ActuatorRequests {

  private ActuatorRequests() {}

  /** The health endpoint (open to probes). */
  static RequestMatcher health() {
    return EndpointRequest.to("health");
  }

  /** Any actuator endpoint. */
  static RequestMatcher anyEndpoint() {
    return EndpointRequest.toAnyEndpoint();
  }
}
