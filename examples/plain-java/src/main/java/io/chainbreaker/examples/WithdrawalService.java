package io.chainbreaker.examples;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * An exchange's withdrawal desk, the kind of code that asks Chain Breaker: a withdrawal is sent at
 * once while withdrawals of its token are allowed, held while they are suspended, and sent when
 * they are allowed again. {@code WithdrawalServiceTest} tests it with the test kit.
 */
public final class WithdrawalService {

  /** A withdrawal a customer asked for. */
  public record Withdrawal(String symbol, String to, BigDecimal amount) {}

  private final ChainBreaker breaker;
  private final Consumer<Withdrawal> send;
  private final Map<String, Queue<Withdrawal>> held = new ConcurrentHashMap<>();

  /**
   * A desk that asks {@code breaker} and hands what may go to {@code send}.
   *
   * @param breaker the engine, started
   * @param send broadcasts a withdrawal
   */
  public WithdrawalService(ChainBreaker breaker, Consumer<Withdrawal> send) {
    this.breaker = breaker;
    this.send = send;
    breaker
        .events()
        .onTokenTransition(
            t -> {
              if (t.direction() == Direction.WITHDRAWAL && t.to() == BreakerState.ALLOWED) {
                sendHeld(t.symbol());
              }
            });
  }

  /** Sends {@code withdrawal} now and returns true, or holds it and returns false. */
  public boolean request(Withdrawal withdrawal) {
    String symbol = withdrawal.symbol();
    if (breaker.allowsWithdrawal(symbol)) {
      send.accept(withdrawal);
      return true;
    }
    held.computeIfAbsent(symbol, s -> new ConcurrentLinkedQueue<>()).add(withdrawal);
    // Withdrawals may have been allowed again between the question and the hold.
    if (breaker.allowsWithdrawal(symbol)) {
      sendHeld(symbol);
    }
    return false;
  }

  private void sendHeld(String symbol) {
    Queue<Withdrawal> queue = held.getOrDefault(symbol, new ConcurrentLinkedQueue<>());
    for (Withdrawal w = queue.poll(); w != null; w = queue.poll()) {
      send.accept(w);
    }
  }
}
