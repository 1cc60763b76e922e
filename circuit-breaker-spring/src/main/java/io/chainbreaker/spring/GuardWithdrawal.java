package io.chainbreaker.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Checks, before the method runs, that withdrawals of a token are allowed; throws {@link
 * io.chainbreaker.TokenSuspendedException} otherwise.
 *
 * <pre>{@code @GuardWithdrawal(symbol = "#request.symbol", network = "#request.network")
 * public Receipt withdraw(Request request)}</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GuardWithdrawal {

  /**
   * A SpEL expression over the method's parameters giving the token symbol, or a quoted literal.
   */
  String symbol();

  /**
   * A SpEL expression giving the token's network, or a quoted literal; empty (the default) for a
   * symbol listed on one network only (one on several then throws {@link
   * io.chainbreaker.AmbiguousTokenException}).
   */
  String network() default "";
}
