package io.chainbreaker.examples.exchange;

import io.chainbreaker.test.SimulatedChain;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Halts and resumes the embedded chain of the {@code sim} profile, for demonstrations. */
@RestController
@Profile("sim")
@RequestMapping("/simulated-chain")
public class SimulatedChainController {

  private final SimulatedChain chain;

  SimulatedChainController(SimulatedChain chain) {
    this.chain = chain;
  }

  @PostMapping("/halt")
  Map<String, Object> halt() {
    chain.halt();
    return Map.of("producing", false, "head", chain.head().number());
  }

  @PostMapping("/resume")
  Map<String, Object> resume() {
    chain.resume();
    return Map.of("producing", true, "head", chain.head().number());
  }
}
