package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link GuardDeposit} and {@link GuardWithdrawal}: evaluates the token expression against
 * the call's arguments and asks the engine before proceeding. Expressions are parsed once per
 * method. An expression that gives no symbol (null, blank, not a string) throws
 * {@link MissingTokenException}: bad input from the caller, for a 400.
 */
public class GuardInterceptor implements MethodInterceptor {

  private final ChainBreaker breaker;
  private final SpelExpressionParser parser = new SpelExpressionParser();
  private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
  private final Map<Method, Guard[]> guards = new ConcurrentHashMap<>();

  private record Guard(Direction direction, String source, Expression expression) {}

  /** Guards calls with {@code breaker}. */
  public GuardInterceptor(ChainBreaker breaker) {
    this.breaker = breaker;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Method method = invocation.getMethod();
    Class<?> target = invocation.getThis() == null ? method.getDeclaringClass()
        : AopUtils.getTargetClass(invocation.getThis());
    Method specific = AopUtils.getMostSpecificMethod(method, target);
    for (Guard guard : guards.computeIfAbsent(specific, this::parse)) {
      MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
          invocation.getThis(), specific, invocation.getArguments(), names);
      Object token = guard.expression().getValue(context);
      if (!(token instanceof String symbol) || symbol.isBlank()) {
        throw new MissingTokenException(guard.source(),
            token == null ? "null" : token instanceof String ? "a blank string" : "a "
                + token.getClass().getSimpleName());
      }
      breaker.check(symbol, guard.direction());
    }
    return invocation.proceed();
  }

  private Guard[] parse(Method method) {
    GuardDeposit deposit = AnnotatedElementUtils.findMergedAnnotation(method, GuardDeposit.class);
    GuardWithdrawal withdrawal =
        AnnotatedElementUtils.findMergedAnnotation(method, GuardWithdrawal.class);
    Guard[] result = new Guard[(deposit == null ? 0 : 1) + (withdrawal == null ? 0 : 1)];
    int i = 0;
    if (deposit != null) {
      result[i++] = new Guard(Direction.DEPOSIT, deposit.token(),
          parser.parseExpression(deposit.token()));
    }
    if (withdrawal != null) {
      result[i] = new Guard(Direction.WITHDRAWAL, withdrawal.token(),
          parser.parseExpression(withdrawal.token()));
    }
    return result;
  }
}
