package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the engine when the application context is refreshed (or started) and stops it when the
 * context stops or closes. It can stop and start again ({@code context.stop()}, then {@code
 * context.start()}): the starter's engine builds a fresh core engine on the start after a stop,
 * which reads suspensions and overrides back from the state store and keeps the listeners, so
 * watching really resumes. An application's own {@link ChainBreaker} bean, a plain core engine, is
 * single-use: starting it again after a stop throws {@link IllegalStateException}.
 */
public class ChainBreakerLifecycle implements SmartLifecycle {

  private final ChainBreaker breaker;
  private volatile boolean running;

  /** Follows the lifecycle of {@code breaker}. */
  public ChainBreakerLifecycle(ChainBreaker breaker) {
    this.breaker = breaker;
  }

  /** Starts watching, on a fresh engine if this lifecycle was stopped before. */
  @Override
  public void start() {
    breaker.start();
    running = true;
  }

  /** Stops watching and releases the engine's threads. */
  @Override
  public void stop() {
    breaker.close();
    running = false;
  }

  /** Whether the engine is watching. */
  @Override
  public boolean isRunning() {
    return running;
  }
}
