/**
 * Spring Boot auto-configuration for Chain Breaker: properties under {@code chain-breaker}, the
 * engine following the application lifecycle, transitions as application events, the {@code
 * chainbreakers} actuator endpoint, an opt-in health indicator, Micrometer meters, method guards
 * and the public wallet status. Non-null unless marked {@code @Nullable} (JSpecify), checked at
 * compile time by NullAway.
 */
@NullMarked
package io.chainbreaker.spring;

import org.jspecify.annotations.NullMarked;
