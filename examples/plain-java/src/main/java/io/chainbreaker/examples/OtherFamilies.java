package io.chainbreaker.examples;

import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Protocol;
import java.time.Duration;

/** A network that is not EVM, as the README's "Other chain families" configures it. */
public final class OtherFamilies {

  private OtherFamilies() {}

  /** Litecoin mainnet through one Litecoin Core node, basic authentication in the URL. */
  public static NetworkConfig litecoin() {
    // spotless:off -- laid out for the README, which quotes it word for word
    // other-families:begin
    NetworkConfig litecoin = NetworkConfig.builder("litecoin").protocol(Protocol.BITCOIN)
        .identity("12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2")
        .rpcUrls("http://user:password@litecoin-node:9332/")
        .blockInterval(Duration.ofSeconds(150))
        .build();
    // other-families:end
    // spotless:on
    return litecoin;
  }
}
