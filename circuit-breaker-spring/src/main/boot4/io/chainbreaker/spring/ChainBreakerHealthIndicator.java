package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Contributes each network's health in detail. Always UP: a halted chain is business state, not a
 * broken application, and must not make Kubernetes restart healthy pods.
 *
 * <p>Spring Boot 4: the health API is in {@code spring-boot-health}. The other Boot line has a twin
 * of this class with the same name and behaviour.
 */
public class ChainBreakerHealthIndicator extends AbstractHealthIndicator {

  private final ChainBreaker breaker;

  /** Reports the networks of {@code breaker}. */
  public ChainBreakerHealthIndicator(ChainBreaker breaker) {
    super("Chain breaker health check failed");
    this.breaker = breaker;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.up();
    for (NetworkStatus n : breaker.snapshot().networks()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("health", n.health());
      detail.put("reason", n.reason());
      detail.put("since", n.since().toString());
      detail.put("head", n.head() == null ? null : n.head().number());
      detail.put("detail", n.detail());
      builder.withDetail(n.name(), detail);
    }
  }
}
