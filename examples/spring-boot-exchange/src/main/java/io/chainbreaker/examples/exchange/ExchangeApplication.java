package io.chainbreaker.examples.exchange;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small exchange service that uses only the Chain Breaker starter. With the default profile
 * ({@code sim}) it watches an embedded simulated chain carrying COSM, DTA and PXL.
 */
@SpringBootApplication
public class ExchangeApplication {

  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(ExchangeApplication.class, args);
  }
}
