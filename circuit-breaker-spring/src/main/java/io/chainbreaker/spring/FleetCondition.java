package io.chainbreaker.spring;

import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether this instance is a fleet member: {@code chain-breaker.fleet.enabled} if set; else on when
 * the JDBC store is on ({@code chain-breaker.store.type=jdbc}) over a PostgreSQL {@code
 * spring.datasource.url}, since then more than one replica may run against it. An application that
 * defines its own DataSource bean (no URL property) says {@code fleet.enabled=true}.
 */
final class FleetCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment env = context.getEnvironment();
    String enabled = env.getProperty("chain-breaker.fleet.enabled");
    if (enabled != null) {
      return Boolean.parseBoolean(enabled.trim())
          ? ConditionOutcome.match("chain-breaker.fleet.enabled=true")
          : ConditionOutcome.noMatch("chain-breaker.fleet.enabled=false");
    }
    String type = env.getProperty("chain-breaker.store.type", "memory");
    String url = env.getProperty("spring.datasource.url", "");
    if (type.trim().equalsIgnoreCase("jdbc")
        && url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
      return ConditionOutcome.match("the JDBC store is on PostgreSQL");
    }
    return ConditionOutcome.noMatch("no fleet: the JDBC store is not on PostgreSQL");
  }
}
