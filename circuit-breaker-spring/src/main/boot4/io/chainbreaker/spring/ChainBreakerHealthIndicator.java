package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.StatusSnapshot;
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
    StatusSnapshot snapshot = breaker.snapshot();
    FleetStatus f = snapshot.fleet();
    if (f.role() != FleetStatus.Role.SOLO) {
      // The store and the lease as details: an outage fails closed in the breakers, never here.
      Map<String, Object> fleet = new LinkedHashMap<>();
      fleet.put("role", f.role());
      fleet.put("leader", f.leader());
      fleet.put("epoch", f.epoch());
      fleet.put("lastContact", f.lastContact() == null ? null : f.lastContact().toString());
      fleet.put("store", f.problem() == null ? "reachable" : f.problem());
      builder.withDetail("fleet", fleet);
    }
    for (NetworkStatus n : snapshot.networks()) {
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
