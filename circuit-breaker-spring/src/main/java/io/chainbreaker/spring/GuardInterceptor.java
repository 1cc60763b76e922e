package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Applies {@link GuardDeposit} and {@link GuardWithdrawal}: evaluates the symbol (and network)
 * expressions against the call's arguments and asks the engine before proceeding. Expressions are
 * parsed once per method. An expression that gives no symbol (null, blank, not a string) throws
 * {@link MissingTokenException}: bad input from the caller, for a 400.
 */
public class GuardInterceptor implements MethodInterceptor {

  private final ChainBreaker breaker;
  private final SpelExpressionParser parser = new SpelExpressionParser();
  private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
  private final Map<Method, Guard[]> guards = new ConcurrentHashMap<>();

  private record Guard(
      Direction direction,
      String source,
      Expression expression,
      @Nullable String networkSource,
      @Nullable Expression network) {}

  /** Guards calls with {@code breaker}. */
  public GuardInterceptor(ChainBreaker breaker) {
    this.breaker = breaker;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Method method = invocation.getMethod();
    Class<?> target =
        invocation.getThis() == null
            ? method.getDeclaringClass()
            : AopUtils.getTargetClass(invocation.getThis());
    Method specific = AopUtils.getMostSpecificMethod(method, target);
    for (Guard guard : guards.computeIfAbsent(specific, this::parse)) {
      MethodBasedEvaluationContext context =
          new MethodBasedEvaluationContext(
              invocation.getThis(), specific, invocation.getArguments(), names);
      String symbol = text(guard.source(), guard.expression().getValue(context));
      if (guard.network() == null) {
        breaker.check(symbol, guard.direction());
      } else {
        String network = text(guard.networkSource(), guard.network().getValue(context));
        breaker.check(symbol, network, guard.direction());
      }
    }
    return invocation.proceed();
  }

  private static String text(@Nullable String source, @Nullable Object value) {
    if (!(value instanceof String s) || s.isBlank()) {
      throw new MissingTokenException(
          String.valueOf(source),
          value == null
              ? "null"
              : value instanceof String
                  ? "a blank string"
                  : "a " + value.getClass().getSimpleName());
    }
    return s;
  }

  private Guard guard(Direction direction, String symbol, String network) {
    return new Guard(
        direction,
        symbol,
        parser.parseExpression(symbol),
        network.isEmpty() ? null : network,
        network.isEmpty() ? null : parser.parseExpression(network));
  }

  private Guard[] parse(Method method) {
    GuardDeposit deposit = AnnotatedElementUtils.findMergedAnnotation(method, GuardDeposit.class);
    GuardWithdrawal withdrawal =
        AnnotatedElementUtils.findMergedAnnotation(method, GuardWithdrawal.class);
    Guard[] result = new Guard[(deposit == null ? 0 : 1) + (withdrawal == null ? 0 : 1)];
    int i = 0;
    if (deposit != null) {
      result[i++] = guard(Direction.DEPOSIT, deposit.symbol(), deposit.network());
    }
    if (withdrawal != null) {
      result[i] = guard(Direction.WITHDRAWAL, withdrawal.symbol(), withdrawal.network());
    }
    return result;
  }
}
