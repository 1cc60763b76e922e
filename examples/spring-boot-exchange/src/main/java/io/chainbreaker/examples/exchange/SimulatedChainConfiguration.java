package io.chainbreaker.examples.exchange;

import io.chainbreaker.test.SimulatedChain;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The default profile's chain: a simulated Klaytn producing a block a second on a loopback port, so
 * a newcomer can halt it ({@code POST /simulated-chain/halt}) and watch COSM, DTA and PXL stop.
 */
@Configuration
@Profile("sim")
public class SimulatedChainConfiguration {

  @Bean(destroyMethod = "close")
  SimulatedChain simulatedChain(@Value("${exchange.simulated-chain.port}") int port) {
    SimulatedChain chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(24_002_300)
            .history(60, Duration.ofSeconds(1))
            .build();
    chain.addEndpoint(port);
    chain.produceBlocks(Duration.ofSeconds(1));
    return chain;
  }
}
