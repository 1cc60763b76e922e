package io.chainbreaker.store;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.FleetConfig;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.RecoveryRule;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One fleet member in a process of its own, for the tests that kill it (SIGKILL) or stop it
 * (SIGSTOP): {@code FleetMember JDBC_URL CHAIN_URL INSTANCE TTL_MS POLL_MS}. Prints one line per
 * change of its role and per PXL withdrawal transition, and runs until killed.
 */
public final class FleetMember {

  private FleetMember() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(args[0]);
    ds.setUser("postgres");
    ds.setConnectTimeout(2);
    ds.setSocketTimeout(5);
    ChainBreaker breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(8217)
                    .rpcUrls(args[1])
                    .blockInterval(Duration.ofMillis(200))
                    .pollInterval(Duration.ofMillis(200))
                    .haltAfter(Duration.ofSeconds(2))
                    .depositRecovery(RecoveryRule.of(3, Duration.ofMillis(500)))
                    .withdrawalRecovery(RecoveryRule.of(3, Duration.ofMillis(500)))
                    .build())
            .token("PXL", "klaytn")
            .stateStore(JdbcStateStore.builder(ds).instanceId(args[2]).build())
            .overrideSyncInterval(Duration.ofMillis(250))
            .fleet(
                FleetConfig.builder(JdbcFleetStore.builder(ds).build())
                    .name("exchange")
                    .instanceId(args[2])
                    .leaseTtl(Duration.ofMillis(Long.parseLong(args[3])))
                    .pollInterval(Duration.ofMillis(Long.parseLong(args[4])))
                    .build())
            .build();
    breaker
        .events()
        .onFleetChange(f -> out.println("ROLE " + f.role() + " epoch=" + f.epoch()))
        .onTokenTransition(
            t -> {
              if (t.direction() == Direction.WITHDRAWAL) {
                out.println("PXL " + t.to() + " " + t.reason());
              }
            });
    breaker.start();
    out.println("STARTED " + args[2]);
    new CountDownLatch(1).await();
  }
}
