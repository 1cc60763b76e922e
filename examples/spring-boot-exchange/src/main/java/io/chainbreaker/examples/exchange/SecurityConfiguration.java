package io.chainbreaker.examples.exchange;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Reads of the {@code chainbreakers} endpoint are open to any authenticated user; overrides (POST)
 * need the role {@code CHAIN_BREAKER_OPERATOR}, checked both here and by the endpoint itself. The
 * in-memory users are for the demo only: use your identity provider.
 */
@Configuration
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(auth -> auth
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .requestMatchers(HttpMethod.POST, "/actuator/chainbreakers/**")
            .hasRole("CHAIN_BREAKER_OPERATOR")
            .requestMatchers(EndpointRequest.toAnyEndpoint()).authenticated()
            .anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .csrf(csrf -> csrf.disable()); // a stateless JSON API with Basic authentication
    return http.build();
  }

  @Bean
  UserDetailsService users(@Value("${exchange.demo-password:change-me}") String password) {
    return new InMemoryUserDetailsManager(
        User.withUsername("operator").password("{noop}" + password)
            .roles("CHAIN_BREAKER_OPERATOR").build(),
        User.withUsername("viewer").password("{noop}" + password).roles("VIEWER").build());
  }
}
