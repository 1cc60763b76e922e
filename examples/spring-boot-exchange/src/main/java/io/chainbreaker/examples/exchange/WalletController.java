package io.chainbreaker.examples.exchange;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.spring.GuardDeposit;
import io.chainbreaker.spring.GuardWithdrawal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Deposit addresses, withdrawals and the wallet status page. */
@RestController
public class WalletController {

  /** A withdrawal request. */
  public record WithdrawalRequest(String token, String to, String amount) {}

  /** An accepted withdrawal. */
  public record Withdrawal(String id, String token, String to, String amount, Instant acceptedAt) {}

  /** One row of the wallet status page. */
  public record WalletStatus(
      String token, String network, Direction deposit, Direction withdrawal) {}

  /** One direction of a row. */
  public record Direction(String state, String reason, Instant since) {
    static Direction of(DirectionStatus s) {
      return new Direction(s.state().name(), s.reason().name(), s.since());
    }
  }

  private final ChainBreaker breaker;

  public WalletController(ChainBreaker breaker) {
    this.breaker = breaker;
  }

  /** A deposit address; refused with 503 while deposits of the token are suspended. */
  @GetMapping("/deposit-address/{token}")
  @GuardDeposit(symbol = "#token")
  public Map<String, String> depositAddress(@PathVariable String token) {
    return Map.of("token", token, "address", "0x" + "ab".repeat(20));
  }

  /** Accepts a withdrawal; refused with 503 while withdrawals of the token are suspended. */
  @PostMapping("/withdrawals")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @GuardWithdrawal(symbol = "#request.token")
  public Withdrawal withdraw(@RequestBody WithdrawalRequest request) {
    return new Withdrawal(
        UUID.randomUUID().toString(),
        request.token(),
        request.to(),
        request.amount(),
        Instant.now());
  }

  /** Every token's deposit and withdrawal state, as exchanges show on their status page. */
  @GetMapping("/wallet-status")
  public List<WalletStatus> walletStatus() {
    return breaker.snapshot().tokens().stream()
        .map(
            (TokenStatus t) ->
                new WalletStatus(
                    t.symbol(),
                    t.network(),
                    Direction.of(t.deposit()),
                    Direction.of(t.withdrawal())))
        .toList();
  }
}
