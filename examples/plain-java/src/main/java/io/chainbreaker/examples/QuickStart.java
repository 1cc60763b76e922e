package io.chainbreaker.examples;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenSuspendedException;
import java.time.Duration;

/** The README's plain-Java quick start, kept here so that it compiles. */
public final class QuickStart {

  private QuickStart() {}

  /** Watches Klaytn (Kaia) mainnet and asks before a withdrawal. */
  public static void main(String[] args) {
    // quick-start:begin
    ChainBreaker breaker = ChainBreaker.builder()
        .network(NetworkConfig.builder("klaytn")
            .chainId(8217)
            .rpcUrls("https://public-en.node.kaia.io", "https://klaytn.api.onfinality.io/public")
            .blockInterval(Duration.ofSeconds(1)) // haltAfter: max(10 blocks, 30 s) = 30 s
            .build())
        .token("COSM", "klaytn")
        .token(TokenConfig.of("PXL", "klaytn")
            .withContract("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad")) // illustrative address
        .build();
    breaker.events().onTokenTransition(t -> System.out.println(t.symbol() + " " + t.direction()
        + " " + t.to() + " " + t.reason()));
    breaker.start();

    if (breaker.allowsWithdrawal("PXL")) {
      // broadcast the withdrawal
    }
    TokenHandle cosm = breaker.token("COSM"); // hold it on the hot path: ~1 ns per question
    try {
      cosm.checkDeposit();
    } catch (TokenSuspendedException e) {
      // e.reason() HALTED, e.since(), e.head(): tell the user deposits are paused
    }
    breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "alice", "hot wallet audit",
        Duration.ofHours(2));
    breaker.close();
    // quick-start:end
  }
}
