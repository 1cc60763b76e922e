package io.chainbreaker.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A service whose methods are guarded, as an exchange would write it. */
public class GuardedService {

  /** A withdrawal request. */
  public record Request(String token, long amount) {}

  private int calls;

  /** How many guarded calls went through to this service. */
  public int calls() {
    return calls;
  }

  /** Sends a withdrawal. */
  @GuardWithdrawal(symbol = "#request.token")
  public String withdraw(Request request) {
    calls++;
    return "sent " + request.amount() + " " + request.token();
  }

  /** Gives a deposit address. */
  @GuardDeposit(symbol = "#token")
  public String depositAddress(String token) {
    calls++;
    return "0xabc for " + token;
  }

  /** Gives a deposit address of an asset on one of its networks. */
  @GuardDeposit(symbol = "#symbol", network = "#network")
  public String depositAddress(String symbol, String network) {
    calls++;
    return "0xabc for " + symbol + " on " + network;
  }

  @Configuration(proxyBeanMethods = false)
  static class Config {
    @Bean
    GuardedService guardedService() {
      return new GuardedService();
    }
  }
}
