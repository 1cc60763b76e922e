package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import org.springframework.context.SmartLifecycle;

/** Starts the engine when the application context is refreshed and stops it when it closes. */
public class ChainBreakerLifecycle implements SmartLifecycle {

  private final ChainBreaker breaker;
  private volatile boolean running;

  /** Follows the lifecycle of {@code breaker}. */
  public ChainBreakerLifecycle(ChainBreaker breaker) {
    this.breaker = breaker;
  }

  @Override
  public void start() {
    breaker.start();
    running = true;
  }

  @Override
  public void stop() {
    breaker.close();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
