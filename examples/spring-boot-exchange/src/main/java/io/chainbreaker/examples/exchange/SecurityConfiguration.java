package io.chainbreaker.examples.exchange;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Reads of the {@code chainbreakers} endpoint are open to any authenticated user; overrides (POST)
 * need the role {@code CHAIN_BREAKER_OPERATOR}, checked both here and by the endpoint itself. The
 * operator console ({@code /chain-breaker}) is for signed-in viewers and operators, who sign in on
 * a form; its overrides, made from a browser session, need a CSRF token. The public wallet status
 * is open to anyone. The in-memory users are for the demo only: use your identity provider.
 */
@Configuration
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            auth ->
                auth.requestMatchers(ActuatorRequests.health())
                    .permitAll()
                    .requestMatchers("/chain-breaker/wallet-status")
                    .permitAll()
                    .requestMatchers("/chain-breaker", "/chain-breaker/**")
                    .hasAnyRole("VIEWER", "CHAIN_BREAKER_OPERATOR")
                    .requestMatchers(HttpMethod.POST, "/actuator/chainbreakers/**")
                    .hasRole("CHAIN_BREAKER_OPERATOR")
                    .requestMatchers(HttpMethod.POST, "/actuator/chainbreakercatalog/**")
                    .hasRole("CHAIN_BREAKER_OPERATOR")
                    .requestMatchers(HttpMethod.DELETE, "/actuator/chainbreakercatalog/**")
                    .hasRole("CHAIN_BREAKER_OPERATOR")
                    .requestMatchers(ActuatorRequests.anyEndpoint())
                    .authenticated()
                    .anyRequest()
                    .permitAll())
        .httpBasic(Customizer.withDefaults())
        .formLogin(Customizer.withDefaults()) // for the console in a browser
        // The JSON API is stateless with Basic authentication; the console is a browser session,
        // so its writes carry the CSRF token the console reads from /chain-breaker/api/session.
        .csrf(
            csrf ->
                csrf.requireCsrfProtectionMatcher(
                    PathPatternRequestMatcher.withDefaults()
                        .matcher(HttpMethod.POST, "/chain-breaker/**")));
    return http.build();
  }

  @Bean
  UserDetailsService users(@Value("${exchange.demo-password:change-me}") String password) {
    return new InMemoryUserDetailsManager(
        User.withUsername("operator")
            .password("{noop}" + password)
            .roles("CHAIN_BREAKER_OPERATOR")
            .build(),
        User.withUsername("viewer").password("{noop}" + password).roles("VIEWER").build());
  }
}
