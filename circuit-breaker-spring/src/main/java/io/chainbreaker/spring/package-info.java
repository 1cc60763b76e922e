/**
 * Spring Boot auto-configuration for Chain Breaker: properties under {@code chain-breaker}, the engine
 * following the application lifecycle, transitions as application events, the {@code chainbreakers}
 * actuator endpoint, an opt-in health indicator, Micrometer meters, method guards and the public
 * wallet status.
 */
package io.chainbreaker.spring;
