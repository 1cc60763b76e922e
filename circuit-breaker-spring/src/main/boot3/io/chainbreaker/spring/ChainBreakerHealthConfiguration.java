package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health indicator, imported by {@link ChainBreakerAutoConfiguration}: with the health API on
 * the class path, {@code chain-breaker.health.enabled=true} (the opt-in it always had) and {@code
 * management.health.chainbreaker.enabled} not false (Spring Boot's own switch, which also follows
 * {@code management.health.defaults.enabled}).
 *
 * <p>Spring Boot 3.5: the health API is in {@code spring-boot-actuator}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnProperty(prefix = "chain-breaker.health", name = "enabled", havingValue = "true")
class ChainBreakerHealthConfiguration {

  // Nested: Spring loads every condition of a class before it evaluates any, so the health
  // condition may only be read once the class check above has passed.
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("chainbreaker")
  static class EnabledHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "chainBreakerHealthIndicator")
    ChainBreakerHealthIndicator chainBreakerHealthIndicator(ChainBreaker breaker) {
      return new ChainBreakerHealthIndicator(breaker);
    }
  }
}
