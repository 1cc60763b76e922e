package io.chainbreaker.test;

import io.chainbreaker.ChainBreaker;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh, started {@link ChainBreakerRig} built from your
 * configuration, and closes it after the test. Register it with the rig's builder, then declare a
 * {@link ChainBreakerRig} (or a {@link ChainBreaker}) parameter on a test, {@code @BeforeEach} or
 * {@code @AfterEach} method:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChainBreakerExtension chainBreaker = ChainBreakerExtension.of(
 *     ChainBreakerRig.builder().network(klaytn).token("PXL", "klaytn"));
 *
 * @Test
 * void refusesWithdrawalsWhileTheChainIsHalted(ChainBreakerRig rig) {
 *   rig.halt(Duration.ofMinutes(5));
 *   ...
 * }
 * }</pre>
 *
 * <p>Each test's rig is its own (time, endpoints, engine, transitions), so tests may run in
 * parallel; a {@link ChainBreakerRig.Builder#stateStore state store} given to the builder is the
 * one thing they share. Needs {@code org.junit.jupiter:junit-jupiter-api} on the test classpath,
 * which a JUnit 5 test has anyway.
 */
public final class ChainBreakerExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ChainBreakerExtension.class);

  private final ChainBreakerRig.Builder rig;

  private ChainBreakerExtension(ChainBreakerRig.Builder rig) {
    this.rig = rig;
  }

  /** An extension that builds and starts a rig from {@code rig} before each test. */
  public static ChainBreakerExtension of(ChainBreakerRig.Builder rig) {
    return new ChainBreakerExtension(Objects.requireNonNull(rig, "rig"));
  }

  /** Builds and starts this test's rig. */
  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(this, rig.build().start());
  }

  /** Closes this test's rig. */
  @Override
  public void afterEach(ExtensionContext context) {
    ChainBreakerRig current = context.getStore(NAMESPACE).remove(this, ChainBreakerRig.class);
    if (current != null) {
      current.close();
    }
  }

  /** Whether the parameter is a {@link ChainBreakerRig} or a {@link ChainBreaker}. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ChainBreakerRig.class || type == ChainBreaker.class;
  }

  /** This test's rig, or its engine. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ChainBreakerRig current = context.getStore(NAMESPACE).get(this, ChainBreakerRig.class);
    if (current == null) {
      throw new ParameterResolutionException(
          "no rig: ChainBreakerExtension gives one to test, @BeforeEach and @AfterEach methods"
              + " only");
    }
    return parameter.getParameter().getType() == ChainBreaker.class ? current.breaker() : current;
  }
}
